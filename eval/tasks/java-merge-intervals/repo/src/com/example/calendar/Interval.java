package com.example.calendar;

/** A half-open span of time [start, end), in minutes or hours: the caller's unit. */
public record Interval(int start, int end) {
    public Interval {
        if (end < start) {
            throw new IllegalArgumentException("an interval cannot end before it starts: " + start + "–" + end);
        }
    }

    @Override
    public String toString() {
        return start + "–" + end;
    }
}
