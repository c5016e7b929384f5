package io.ringstore.samples.jakarta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringstore.samples.jakarta.probe.ServerProbeServlet;
import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Deploys, uses and undeploys the sample three times in one WildFly and checks, after each
 * undeploy, that nothing of Ringstore is left (within a few seconds): no thread of Ringstore's, no
 * thread holding the application's class loader as its context loader, no JCache MBean; and, at
 * the end, that the class loaders of the undeployed samples can be collected (all but one, which
 * an idle Undertow worker thread may hold, see below).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RedeployIT {
  private static final int ROUNDS = 3;
  /** How long a leftover may take to go after an undeploy. */
  private static final int LEFTOVER_SECONDS = 10;

  @Deployment(name = "probe", testable = false)
  static WebArchive probe() {
    return ShrinkWrap.create(WebArchive.class, "leftovers-probe.war").addClass(ServerProbeServlet.class);
  }

  @Deployment(name = "sample", managed = false, testable = false)
  static WebArchive sample() {
    return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("war.file")));
  }

  @ArquillianResource Deployer deployer;

  @Test
  @OperateOnDeployment("probe")
  void undeployingTheSampleLeavesNothingOfRingstoreBehind(@ArquillianResource URL probeBase) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String context = System.getProperty("war.context");
    URI sample = probeBase.toURI().resolve("/" + context + "/prices?item=fig");
    URI leftovers = probeBase.toURI().resolve("leftovers?thread-prefix=ringstore&loader=deployment." + context
        + "&mbean-domain=javax.cache");
    for (int round = 1; round <= ROUNDS; round++) {
      deployer.deploy("sample");
      HttpResponse<String> price = http.send(HttpRequest.newBuilder(sample).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, price.statusCode(), price.body());
      assertTrue(price.body().contains("(asked 1 times"), "a fresh deployment starts with fresh caches: " + price.body());
      String whileDeployed = body(http, leftovers);
      body(http, probeBase.toURI().resolve("leftovers?remember=deployment." + context));
      deployer.undeploy("sample");
      // Ringstore's scheduler thread ends a couple of seconds after its last task is called off
      long undeployed = System.nanoTime();
      String afterUndeploy = body(http, leftovers);
      while (!afterUndeploy.isEmpty() && System.nanoTime() - undeployed < TimeUnit.SECONDS.toNanos(LEFTOVER_SECONDS)) {
        Thread.onSpinWait();
        afterUndeploy = body(http, leftovers);
      }
      System.out.printf("round %d: while deployed [%s]; %d ms after undeploy [%s]%n", round,
          whileDeployed.replace('\n', ';'), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - undeployed),
          afterUndeploy.replace('\n', ';'));
      assertEquals("", afterUndeploy, "left behind " + LEFTOVER_SECONDS + " s after undeploy " + round);
    }
    // The class loaders of the undeployed samples must be collectable, but for one: an idle
    // Undertow worker thread keeps the last request it served (and with it that deployment's
    // servlet handler and class loader) on its stack until it serves another one, whatever the
    // application does (seen in a heap dump of this test: ServletInitialHandler <- HttpServerExchange
    // <- EnhancedQueueExecutor$Task <- a worker's frame). A leak of Ringstore's would keep every one.
    String states = body(http, probeBase.toURI().resolve("leftovers?loaders-alive"));
    System.out.println("class loaders of the " + ROUNDS + " undeployed samples: " + states);
    List<String> loaders = List.of(states.split(","));
    assertEquals(ROUNDS, loaders.size(), states);
    assertTrue(Collections.frequency(loaders, "reachable") <= 1,
        "class loaders of undeployed samples still reachable (a class-loader leak): " + states);
  }

  private static String body(HttpClient http, URI uri) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return response.body();
  }
}
