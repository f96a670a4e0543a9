package com.example.text;

import java.util.Objects;

public class CapitalizeEdgeCasesTest {
    static void check(String expected, String actual) {
        if (!Objects.equals(expected, actual)) {
            throw new AssertionError("expected \"" + expected + "\" but got \"" + actual + "\"");
        }
    }

    public static void main(String[] args) {
        check("", TextUtils.capitalizeWords(""));
        check(null, TextUtils.capitalizeWords(null));
        check("Ada  Lovelace", TextUtils.capitalizeWords("ada  lovelace"));
        check("  Leading And Trailing ", TextUtils.capitalizeWords("  leading and trailing "));
        check("Mcdonald", TextUtils.capitalizeWords("mcDONALD"));
        check("   ", TextUtils.capitalizeWords("   "));
        System.out.println("CapitalizeEdgeCasesTest: 6 checks passed");
    }
}
