package dev.courier.core;

/** Decides how many topics one stats page holds: the adapter measures what the wire takes. */
@FunctionalInterface
public interface PageBudget {
  /**
   * Whether {@code topic} still fits in the page; when it does, the budget counts it as taken. The
   * page's first topic is taken whatever this answers (a page always moves on), so a budget counts
   * its first topic in any case.
   */
  boolean fits(TopicStats topic);

  /** No bound but the count. */
  PageBudget UNBOUNDED = topic -> true;
}
