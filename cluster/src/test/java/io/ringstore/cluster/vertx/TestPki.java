package io.ringstore.cluster.vertx;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * Test TLS material, made at test time with the JDK's {@code keytool} (nothing secret is checked
 * in): a private CA, a member key store (key and certificate signed by the CA, with the chain),
 * the cluster's trust store (the CA's certificate), and a foreign key store (self-signed, not
 * trusted). PKCS#12, EC P-256, valid two days, one password for all.
 */
final class TestPki {
  static final String PASSWORD = "test-only";

  final Path memberStore;
  final Path trustStore;
  final Path foreignStore;

  private TestPki(Path dir) {
    memberStore = dir.resolve("member.p12");
    trustStore = dir.resolve("trust.p12");
    foreignStore = dir.resolve("foreign.p12");
  }

  static TestPki create(Path dir) throws IOException, InterruptedException {
    TestPki pki = new TestPki(dir);
    Path ca = dir.resolve("ca.p12");
    Path caPem = dir.resolve("ca.pem");
    Path csr = dir.resolve("member.csr");
    Path memberPem = dir.resolve("member.pem");
    String member = pki.memberStore.toString();
    // four rounds; the commands of a round are independent and run at once
    keytool(dir,
        List.of("-genkeypair", "-alias", "ca", "-dname", "CN=Ringstore test CA", "-ext", "bc:c", "-keystore", ca.toString()),
        List.of("-genkeypair", "-alias", "member", "-dname", "CN=ringstore-member", "-keystore", member),
        List.of("-genkeypair", "-alias", "foreign", "-dname", "CN=not-a-member", "-keystore", pki.foreignStore.toString()));
    keytool(dir,
        List.of("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-file", caPem.toString()),
        List.of("-certreq", "-alias", "member", "-keystore", member, "-file", csr.toString()));
    keytool(dir,
        List.of("-gencert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-infile", csr.toString(), "-outfile", memberPem.toString()),
        List.of("-importcert", "-noprompt", "-alias", "ca", "-keystore", member, "-file", caPem.toString()),
        List.of("-importcert", "-noprompt", "-alias", "ca", "-keystore", pki.trustStore.toString(), "-file", caPem.toString()));
    keytool(dir, List.of("-importcert", "-alias", "member", "-keystore", member, "-file", memberPem.toString()));
    return pki;
  }

  /** The cluster's TLS material for a member node. */
  EventBusTls memberTls() {
    return EventBusTls.pkcs12(memberStore, PASSWORD, trustStore, PASSWORD);
  }

  /** A JDK TLS context that shows {@code keyStore}'s certificate (none if null) and trusts the CA. */
  SSLContext clientContext(@Nullable Path keyStore) throws IOException, GeneralSecurityException {
    KeyManagerFactory keys = null;
    if (keyStore != null) {
      keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(load(keyStore), PASSWORD.toCharArray());
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(load(trustStore));
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
    return context;
  }

  /** A JDK TLS context that shows the foreign certificate as a server. */
  SSLContext foreignServerContext() throws IOException, GeneralSecurityException {
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(load(foreignStore), PASSWORD.toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }

  private static KeyStore load(Path path) throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(path)) {
      store.load(in, PASSWORD.toCharArray());
    }
    return store;
  }

  @SafeVarargs
  private static void keytool(Path dir, List<String>... commands) throws IOException, InterruptedException {
    List<Process> processes = new ArrayList<>();
    for (List<String> args : commands) {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
      command.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC")); // a short-lived JVM
      command.addAll(args);
      command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
      switch (args.get(0)) {
        case "-genkeypair" -> command.addAll(List.of("-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2"));
        case "-gencert" -> command.addAll(List.of("-validity", "2"));
        default -> { }
      }
      processes.add(new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start());
    }
    for (int i = 0; i < processes.size(); i++) {
      Process process = processes.get(i);
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IOException("keytool " + String.join(" ", commands[i]) + " failed: " + output);
      }
    }
  }
}
