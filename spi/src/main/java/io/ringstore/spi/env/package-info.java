/**
 * Time and scheduling as parameters: production code takes them from {@link Env#system()}, tests
 * from {@code io.ringstore.spi.testkit.FakeTime}, so that expiry, gossip and failure detection
 * are tested fast and repeatably. Nothing else in Ringstore reads the system clock or sleeps.
 *
 * <p>Depends on the JDK only.
 */
@NullMarked
package io.ringstore.spi.env;

import org.jspecify.annotations.NullMarked;
