/**
 * A deterministic simulation of the replicated data path (issue 8): many nodes' real
 * {@link io.ringstore.cluster.replication.Coordinator}s, replicas over memory engines and
 * {@link io.ringstore.cluster.node.ReplicaEndpoint}s run in one thread on one
 * {@link io.ringstore.spi.testkit.FakeTime}, with one seeded random source choosing message
 * delays, loss, duplication and reordering ({@link io.ringstore.cluster.sim.SimNetwork}),
 * partitions, pauses, crashes and clock skew, and the workload
 * ({@link io.ringstore.cluster.sim.SimRun}); {@link io.ringstore.cluster.sim.SimChecker} checks
 * each history (no acknowledged write lost, no deleted value back, sibling bound, convergence,
 * no stale quorum read, unique dots). The same seed gives the same history; a failing seed is
 * replayed by {@code mvn -B -o -pl cluster test -Dtest=SimulationTest -Dsim.seed=N -Dsim.seeds=1}.
 *
 * <p>Test code only: it uses the main code's public types and changes none of them. It must not
 * start threads, read the system clock or sleep: everything runs on the thread that advances the
 * simulation's time.
 */
@NullMarked
package io.ringstore.cluster.sim;

import org.jspecify.annotations.NullMarked;
