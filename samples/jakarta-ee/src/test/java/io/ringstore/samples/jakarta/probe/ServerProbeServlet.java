package io.ringstore.samples.jakarta.probe;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Deployed on its own beside the sample (in the same WildFly JVM), it lists, one per line, what
 * the sample might leave behind: live threads whose name starts with {@code thread-prefix} or
 * whose context class loader mentions {@code loader}, and MBeans of the {@code mbean-domain}.
 */
@WebServlet("/leftovers")
public class ServerProbeServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
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
}
