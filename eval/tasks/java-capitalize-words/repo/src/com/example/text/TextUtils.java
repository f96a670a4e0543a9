package com.example.text;

/** Text formatting for badges and labels. */
public final class TextUtils {
    private TextUtils() {}

    /** Every word with its first letter in upper case and the rest in lower case. */
    public static String capitalizeWords(String text) {
        String[] words = text.split(" ");
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < words.length; i++) {
            if (i > 0) {
                out.append(' ');
            }
            String word = words[i];
            out.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1).toLowerCase());
        }
        return out.toString();
    }
}
