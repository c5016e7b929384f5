package io.ringstore.samples.jakarta.probe;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.ObjectStreamClass;
import java.lang.ref.WeakReference;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Deployed on its own beside the sample (in the same WildFly JVM), it lists, one per line, what
 * the sample might leave behind: live threads whose name starts with {@code thread-prefix} or
 * whose context class loader mentions {@code loader}, and MBeans of the {@code mbean-domain}.
 *
 * <p>{@code /leftovers?remember=<loader>} keeps a weak reference to the context class loader of a
 * live thread whose loader mentions the given text (the sample's, while it is deployed);
 * {@code /leftovers?loaders-alive} then answers, for each remembered loader in order, whether it
 * was collected ({@code collected,collected,reachable}). Before each collection it looks a class up in the JDK's
 * cache of serialisation descriptors, which lets go of classes of collected loaders only when
 * next used.
 */
@WebServlet("/leftovers")
public class ServerProbeServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  // the loaders remembered, weakly; the probe's own state for the duration of one test
  private final List<WeakReference<ClassLoader>> remembered = new CopyOnWriteArrayList<>();

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String remember = request.getParameter("remember");
    if (remember != null) {
      rememberLoader(remember, response);
      return;
    }
    if (request.getParameter("loaders-alive") != null) {
      response.setContentType("text/plain;charset=UTF-8");
      response.getWriter().print(loadersAlive());
      return;
    }
    String prefix = request.getParameter("thread-prefix");
    String loader = request.getParameter("loader");
    String domain = request.getParameter("mbean-domain");
    List<String> found = new ArrayList<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      ClassLoader context = thread.getContextClassLoader();
      boolean named = prefix != null && thread.getName().startsWith(prefix);
      boolean holding = loader != null && context != null && String.valueOf(context).contains(loader);
      if (named || holding) {
        found.add("thread '" + thread.getName() + "' (context loader " + context + ")");
      }
    }
    if (domain != null) {
      try {
        ManagementFactory.getPlatformMBeanServer().queryNames(new ObjectName(domain + ":*"), null)
            .forEach(name -> found.add("mbean " + name));
      } catch (MalformedObjectNameException e) {
        response.sendError(HttpServletResponse.SC_BAD_REQUEST, e.getMessage());
        return;
      }
    }
    found.sort(null);
    response.setContentType("text/plain;charset=UTF-8");
    response.getWriter().print(String.join("\n", found));
  }

  private void rememberLoader(String loader, HttpServletResponse response) throws IOException {
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      ClassLoader context = thread.getContextClassLoader();
      if (context != null && String.valueOf(context).contains(loader)) {
        remembered.add(new WeakReference<>(context));
        response.getWriter().print("remembered " + context);
        return;
      }
    }
    response.sendError(HttpServletResponse.SC_NOT_FOUND, "no live thread has a context loader like " + loader);
  }

  /** For each remembered loader, in order, "collected" or "reachable", after up to ten collections. */
  private String loadersAlive() {
    List<String> states = new ArrayList<>();
    for (int attempt = 0; attempt < 10; attempt++) {
      ObjectStreamClass.lookup(java.util.ArrayList.class); // drains the descriptor cache's cleared entries
      System.gc();
      states.clear();
      for (WeakReference<ClassLoader> ref : remembered) {
        states.add(ref.get() == null ? "collected" : "reachable");
      }
      if (!states.contains("reachable")) {
        break;
      }
    }
    return String.join(",", states);
  }
}
