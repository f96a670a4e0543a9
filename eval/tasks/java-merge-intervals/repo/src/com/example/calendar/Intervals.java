package com.example.calendar;

import java.util.ArrayList;
import java.util.List;

/** Busy times: overlapping intervals merged. */
public final class Intervals {
    private Intervals() {}

    /** The intervals with overlapping and touching ones merged, in order of their start. */
    public static List<Interval> merge(List<Interval> intervals) {
        List<Interval> merged = new ArrayList<>();
        for (Interval next : intervals) {
            Interval last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && next.start() <= last.end()) {
                merged.set(merged.size() - 1, new Interval(last.start(), Math.max(last.end(), next.end())));
            } else {
                merged.add(next);
            }
        }
        return merged;
    }
}
