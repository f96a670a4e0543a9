package com.example.calendar;

import java.util.List;

public class IntervalsTest {
    static void check(Object expected, Object actual) {
        if (!expected.equals(actual)) {
            throw new AssertionError("expected " + expected + " but got " + actual);
        }
    }

    public static void main(String[] args) {
        check(List.of(new Interval(9, 11), new Interval(13, 16)),
                Intervals.merge(List.of(new Interval(9, 10), new Interval(10, 11), new Interval(13, 15), new Interval(14, 16))));
        check(List.of(), Intervals.merge(List.of()));
        check(List.of(new Interval(1, 5)), Intervals.merge(List.of(new Interval(1, 5), new Interval(2, 3))));
        System.out.println("IntervalsTest: 3 checks passed");
    }
}
