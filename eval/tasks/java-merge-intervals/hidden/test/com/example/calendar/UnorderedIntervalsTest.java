package com.example.calendar;

import java.util.ArrayList;
import java.util.List;

public class UnorderedIntervalsTest {
    static void check(Object expected, Object actual) {
        if (!expected.equals(actual)) {
            throw new AssertionError("expected " + expected + " but got " + actual);
        }
    }

    public static void main(String[] args) {
        check(List.of(new Interval(9, 11), new Interval(13, 16)),
                Intervals.merge(List.of(new Interval(13, 15), new Interval(9, 10), new Interval(14, 16), new Interval(10, 11))));
        check(List.of(new Interval(0, 10)),
                Intervals.merge(List.of(new Interval(8, 10), new Interval(0, 2), new Interval(4, 6), new Interval(2, 4), new Interval(5, 8))));
        List<Interval> input = new ArrayList<>(List.of(new Interval(5, 6), new Interval(1, 2)));
        check(List.of(new Interval(1, 2), new Interval(5, 6)), Intervals.merge(input));
        check(List.of(new Interval(5, 6), new Interval(1, 2)), input);
        System.out.println("UnorderedIntervalsTest: 4 checks passed");
    }
}
