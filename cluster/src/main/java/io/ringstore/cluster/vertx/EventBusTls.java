package io.ringstore.cluster.vertx;

import io.vertx.core.net.JksOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.KeyStoreOptionsBase;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.TrustOptions;
import java.nio.file.Path;
import java.util.List;

/**
 * The TLS material of a node's event bus: its own key and certificate (which it shows both as a
 * server and as a client), and the cluster's trust (the certificates, usually one private CA, that
 * a peer's certificate must chain to). A bus with TLS always authenticates both ends against this
 * trust; see {@link HardenedEventBus}.
 *
 * <p>Only file-backed Vert.x options are accepted ({@link PemKeyCertOptions}, {@link PfxOptions},
 * {@link JksOptions} for the key; {@link PemTrustOptions}, {@link PfxOptions}, {@link JksOptions}
 * for the trust), each with a path or a value: Vert.x's clustered event bus copies its options
 * through JSON, and every other kind of options ({@code KeyStoreOptions},
 * {@code TrustManagerFactoryOptions}, ...) is silently dropped on the way, which would leave the
 * bus trusting the JDK's default CAs.
 *
 * <p>Invariants: both options are of an accepted kind and name their material.
 * <p>Thread-safety: immutable (the options are copied in and out).
 */
public record EventBusTls(KeyCertOptions keyCertificate, TrustOptions trust) {

  /** Checks the kinds and copies the options. */
  public EventBusTls {
    if (!(keyCertificate instanceof PemKeyCertOptions || keyCertificate instanceof PfxOptions || keyCertificate instanceof JksOptions)) {
      throw new IllegalArgumentException("event-bus TLS key: " + keyCertificate.getClass().getName()
          + " is not accepted; need PemKeyCertOptions, PfxOptions or JksOptions (Vert.x's clustered event bus drops any other kind)");
    }
    if (!(trust instanceof PemTrustOptions || trust instanceof PfxOptions || trust instanceof JksOptions)) {
      throw new IllegalArgumentException("event-bus TLS trust: " + trust.getClass().getName()
          + " is not accepted; need PemTrustOptions, PfxOptions or JksOptions (Vert.x's clustered event bus drops any other kind)");
    }
    if (keyCertificate instanceof PemKeyCertOptions pem
        && (pem.getCertPaths().isEmpty() && pem.getCertValues().isEmpty() || pem.getKeyPaths().isEmpty() && pem.getKeyValues().isEmpty())) {
      throw new IllegalArgumentException("event-bus TLS key: PemKeyCertOptions without a key or a certificate");
    }
    if (trust instanceof PemTrustOptions pem && pem.getCertPaths().isEmpty() && pem.getCertValues().isEmpty()) {
      throw new IllegalArgumentException("event-bus TLS trust: PemTrustOptions without a certificate; the bus would trust the JDK's default CAs");
    }
    if (keyCertificate instanceof KeyStoreOptionsBase store && store.getPath() == null && store.getValue() == null) {
      throw new IllegalArgumentException("event-bus TLS key: key store without a path or a value");
    }
    if (trust instanceof KeyStoreOptionsBase store && store.getPath() == null && store.getValue() == null) {
      throw new IllegalArgumentException("event-bus TLS trust: trust store without a path or a value; the bus would trust the JDK's default CAs");
    }
    keyCertificate = keyCertificate.copy();
    trust = trust.copy();
  }

  /**
   * PKCS#12 files: {@code keyStore} holds this node's key and certificate chain, {@code trustStore}
   * the certificates peers must chain to (made with {@code keytool}, or {@code openssl pkcs12}).
   */
  public static EventBusTls pkcs12(Path keyStore, String keyStorePassword, Path trustStore, String trustStorePassword) {
    return new EventBusTls(
        new PfxOptions().setPath(keyStore.toString()).setPassword(keyStorePassword),
        new PfxOptions().setPath(trustStore.toString()).setPassword(trustStorePassword));
  }

  /** PEM files: this node's private key and certificate (chain), and the trusted certificates. */
  public static EventBusTls pem(Path key, Path certificate, List<Path> trusted) {
    PemTrustOptions trust = new PemTrustOptions();
    trusted.forEach(path -> trust.addCertPath(path.toString()));
    return new EventBusTls(new PemKeyCertOptions().setKeyPath(key.toString()).setCertPath(certificate.toString()), trust);
  }

  /** A copy of the key options. */
  @Override
  public KeyCertOptions keyCertificate() {
    return keyCertificate.copy();
  }

  /** A copy of the trust options. */
  @Override
  public TrustOptions trust() {
    return trust.copy();
  }

  /** The kinds of material, never a password. */
  @Override
  public String toString() {
    return "EventBusTls[key " + keyCertificate.getClass().getSimpleName() + ", trust " + trust.getClass().getSimpleName() + "]";
  }
}
