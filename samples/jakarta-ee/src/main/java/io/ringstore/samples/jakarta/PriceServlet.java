package io.ringstore.samples.jakarta;

import io.ringstore.cdi.NamedCache;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import javax.cache.Cache;

/**
 * {@code GET /prices?item=x} answers x's price (from {@link PriceBook}, so cached) and how often
 * x was asked for (an injected Ringstore cache, {@code visits}, counts it); {@code PUT} with
 * {@code price=} sets a price; {@code DELETE} forgets one.
 */
@WebServlet("/prices")
public class PriceServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Inject
  private transient PriceBook prices;

  @Inject
  @NamedCache("visits")
  private transient Cache<String, Long> visits;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String item = item(request, response);
    if (item == null) {
      return;
    }
    long seen = visits.invoke(item, (entry, arguments) -> {
      long next = entry.exists() ? entry.getValue() + 1 : 1;
      entry.setValue(next);
      return next;
    });
    reply(response, item + ": " + prices.priceOf(item) + " (asked " + seen + " times, worked out "
        + prices.computations() + " times in all)");
  }

  @Override
  protected void doPut(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String item = item(request, response);
    String price = request.getParameter("price");
    if (item == null) {
      return;
    }
    if (price == null || price.isBlank()) {
      response.sendError(HttpServletResponse.SC_BAD_REQUEST, "parameter 'price' is missing");
      return;
    }
    prices.setPrice(item, price);
    reply(response, item + ": " + price);
  }

  @Override
  protected void doDelete(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String item = item(request, response);
    if (item != null) {
      prices.forget(item);
      reply(response, item + ": forgotten");
    }
  }

  private static String item(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String item = request.getParameter("item");
    if (item == null || item.isBlank()) {
      response.sendError(HttpServletResponse.SC_BAD_REQUEST, "parameter 'item' is missing");
      return null;
    }
    return item;
  }

  private static void reply(HttpServletResponse response, String text) throws IOException {
    response.setContentType("text/plain;charset=UTF-8");
    response.getWriter().print(text);
  }
}
