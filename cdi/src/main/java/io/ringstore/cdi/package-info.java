/**
 * Jakarta CDI for Ringstore: producers for injected caches and the JCache annotations as jakarta
 * interceptors. Owns nothing of the data path; talks to the provider through {@code javax.cache}
 * and the provider's public types only.
 */
@NullMarked
package io.ringstore.cdi;

import org.jspecify.annotations.NullMarked;
