/**
 * A node: its options, its keyspaces and their settings. The root of all state of one node.
 */
@NullMarked
package io.ringstore.cluster.node;

import org.jspecify.annotations.NullMarked;
