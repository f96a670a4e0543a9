package com.example.text;

public class TextUtilsTest {
    static void check(String expected, String actual) {
        if (!expected.equals(actual)) {
            throw new AssertionError("expected \"" + expected + "\" but got \"" + actual + "\"");
        }
    }

    public static void main(String[] args) {
        check("Ada Lovelace", TextUtils.capitalizeWords("ada lovelace"));
        check("Grace Hopper", TextUtils.capitalizeWords("GRACE hopper"));
        check("X", TextUtils.capitalizeWords("x"));
        System.out.println("TextUtilsTest: 3 checks passed");
    }
}
