package io.ringstore.cluster.vertx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.KeyStoreOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.TrustOptions;
import io.vertx.core.transport.Transport;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/** The options {@link HardenedEventBus} builds and the ones it refuses; no sockets. */
class HardenedEventBusTest {
  private static final EventBusTls TLS = EventBusTls.pkcs12(Path.of("member.p12"), "secret", Path.of("trust.p12"), "secret");

  @Test
  void vertxDefaultsTrustEveryCertificateAndAskNoClientCertificate() {
    // the gap, as Vert.x 5.1.6 ships it
    EventBusOptions defaults = new EventBusOptions();
    assertThat(defaults.isTrustAll()).isTrue();
    assertThat(defaults.getClientAuth()).isEqualTo(ClientAuth.NONE);
    assertThat(new NetClientOptions(defaults.setSsl(true).toJson()).isTrustAll()).isTrue();
  }

  @Test
  void aTlsBusRequiresTheClustersTrustAndClientCertificatesOnBothSidesOfVertxsCopy() {
    HardenedEventBus bus = new HardenedEventBus(EventBusSettings.defaults().withPort(7001).withTls(TLS));
    EventBusOptions options = bus.eventBusOptions();
    assertThat(options.isSsl()).isTrue();
    assertThat(options.isTrustAll()).isFalse();
    assertThat(options.getClientAuth()).isEqualTo(ClientAuth.REQUIRED);
    assertThat(options.getHost()).isEqualTo("127.0.0.1");
    assertThat(options.getPort()).isEqualTo(7001);

    // the clustered event bus makes its server and client options from this JSON
    NetServerOptions server = new NetServerOptions(options.toJson());
    assertThat(server.isSsl()).isTrue();
    assertThat(server.getClientAuth()).isEqualTo(ClientAuth.REQUIRED);
    assertThat(server.getTrustOptions()).isInstanceOf(PfxOptions.class);
    assertThat(((PfxOptions) server.getTrustOptions()).getPath()).isEqualTo("trust.p12");
    assertThat(server.getKeyCertOptions()).isInstanceOf(PfxOptions.class);
    NetClientOptions client = new NetClientOptions(options.toJson());
    assertThat(client.isTrustAll()).isFalse();
    assertThat(client.getTrustOptions()).isInstanceOf(PfxOptions.class);
    assertThat(client.getKeyCertOptions()).isInstanceOf(PfxOptions.class);
  }

  @Test
  void aPlainBusDoesNotTrustAllEitherAndKeepsTheOtherBaseOptions() {
    HardenedEventBus bus = new HardenedEventBus(EventBusSettings.defaults().withPort(7002));
    VertxOptions base = new VertxOptions();
    base.getEventBusOptions().setClusterPingInterval(1234).setSsl(true).setTrustAll(true);
    EventBusOptions options = bus.vertxOptions(base).getEventBusOptions();
    assertThat(options.isSsl()).isFalse();
    assertThat(options.isTrustAll()).isFalse();
    assertThat(options.getClusterPingInterval()).isEqualTo(1234);
    assertThat(base.getEventBusOptions().isTrustAll()).isTrue(); // the base is copied, not changed
  }

  @Test
  void theTransportSettingPicksTheSocketLayerAndAutoIsEpollOnLinux() {
    assertThat(new HardenedEventBus(EventBusSettings.defaults().withTransport(EventBusSettings.Net.NIO)).transport().name())
        .isEqualTo(Transport.NIO.name());
    String os = System.getProperty("os.name");
    String arch = System.getProperty("os.arch");
    assumeTrue(os.equals("Linux") && (arch.equals("amd64") || arch.equals("aarch64")),
        "native epoll ships for Linux on x86_64 and aarch64; this is " + os + " on " + arch);
    // the jars the cluster module brings load here
    assertThat(Transport.EPOLL).isNotNull();
    assertThat(Transport.EPOLL.available()).as("epoll available: %s", Transport.EPOLL.unavailabilityCause()).isTrue();
    assertThat(new HardenedEventBus(EventBusSettings.defaults()).transport().name()).isEqualTo(Transport.EPOLL.name());
    assertThat(new HardenedEventBus(EventBusSettings.defaults().withTransport(EventBusSettings.Net.EPOLL)).transport().name())
        .isEqualTo(Transport.EPOLL.name());
  }

  @Test
  void aPortOfZeroBecomesAFreePortBeforeVertxStarts() {
    HardenedEventBus bus = new HardenedEventBus(EventBusSettings.defaults());
    assertThat(bus.settings().port()).isPositive();
    assertThat(bus.transport().busPort()).isEqualTo(bus.settings().port());
    assertThat(bus.eventBusOptions().getPort()).isEqualTo(bus.settings().port());
  }

  @Test
  void checkRefusesTlsWithoutTrustOrClientCertificatesOrWithTrustAll() {
    EventBusOptions good = new HardenedEventBus(EventBusSettings.defaults().withPort(7003).withTls(TLS)).eventBusOptions();
    HardenedEventBus.check(good);
    HardenedEventBus.check(new EventBusOptions()); // no TLS: nothing to check

    assertThatThrownBy(() -> HardenedEventBus.check(new EventBusOptions(good).setTrustAll(true)))
        .hasMessageStartingWith("eventBusOptions.trustAll = true");
    assertThatThrownBy(() -> HardenedEventBus.check(new EventBusOptions(good).setTrustOptions(null)))
        .hasMessageStartingWith("eventBusOptions.trustOptions = null");
    assertThatThrownBy(() -> HardenedEventBus.check(new EventBusOptions(good).setClientAuth(ClientAuth.REQUEST)))
        .hasMessageStartingWith("eventBusOptions.clientAuth = REQUEST; a TLS bus needs REQUIRED");
    // a kind the clustered event bus drops when it copies its options through JSON
    KeyStoreOptions generic = new KeyStoreOptions().setType("PKCS12").setPath("trust.p12").setPassword("secret");
    assertThat(new NetServerOptions(new EventBusOptions(good).setTrustOptions(generic).toJson()).getTrustOptions()).isNull();
    assertThatThrownBy(() -> HardenedEventBus.check(new EventBusOptions(good).setTrustOptions(generic)))
        .hasMessageStartingWith("eventBusOptions.trustOptions = io.vertx.core.net.KeyStoreOptions");
  }

  @Test
  void tlsMaterialMustBeOfAKindTheBusKeepsAndNameItsFiles() throws Exception {
    TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    jdk.init((java.security.KeyStore) null); // the JDK's default CAs
    assertThatThrownBy(() -> new EventBusTls(TLS.keyCertificate(), TrustOptions.wrap(jdk)))
        .hasMessageContaining("TrustManagerFactoryOptions is not accepted");
    assertThatThrownBy(() -> new EventBusTls(TLS.keyCertificate(), new PemTrustOptions()))
        .hasMessageContaining("PemTrustOptions without a certificate");
    assertThatThrownBy(() -> new EventBusTls(TLS.keyCertificate(), new PfxOptions()))
        .hasMessageContaining("trust store without a path or a value");
    assertThat(TLS.toString()).doesNotContain("secret");
    EventBusTls pem = EventBusTls.pem(Path.of("node.key"), Path.of("node.crt"), List.of(Path.of("ca.crt")));
    assertThat(((PemTrustOptions) pem.trust()).getCertPaths()).containsExactly("ca.crt");
  }

  @Test
  void settingsNameTheBadValueAndTheBound() {
    assertThatThrownBy(() -> EventBusSettings.defaults().withMaxFrameBytes(1000))
        .hasMessage("ringstore.bus.maxFrameBytes = 1000 is out of range; need 65536 to 268435456");
    assertThatThrownBy(() -> EventBusSettings.defaults().withPort(70000))
        .hasMessage("ringstore.bus.port = 70000 is out of range; need 0 to 65535");
    Properties properties = new Properties();
    properties.setProperty("ringstore.bus.tls.keyStore", "member.p12");
    assertThatThrownBy(() -> EventBusSettings.from(properties)).hasMessageContaining("a TLS event bus needs both");
    properties.setProperty("ringstore.bus.tls.trustStore", "trust.p12");
    properties.setProperty("ringstore.bus.port", "7004");
    properties.setProperty("ringstore.bus.maxFrameBytes", "1048576");
    EventBusSettings settings = EventBusSettings.from(properties);
    assertThat(settings.port()).isEqualTo(7004);
    assertThat(settings.maxFrameBytes()).isEqualTo(1048576);
    assertThat(settings.tls()).isNotNull();
  }
}
