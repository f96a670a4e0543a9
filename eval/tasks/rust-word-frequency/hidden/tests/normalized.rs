use wordfreq::{count_words, top_words};

#[test]
fn case_and_punctuation_do_not_make_new_words() {
    let counts = count_words("Hello, hello! HELLO world.");
    assert_eq!(counts["hello"], 3);
    assert_eq!(counts["world"], 1);
    assert_eq!(counts.len(), 2);
}

#[test]
fn apostrophes_inside_words_stay() {
    let counts = count_words("Don't stop: it's \"fine\" (really) -- don't!");
    assert_eq!(counts["don't"], 2);
    assert_eq!(counts["it's"], 1);
    assert_eq!(counts["fine"], 1);
    assert_eq!(counts["really"], 1);
    assert!(!counts.contains_key("--"));
    assert!(!counts.contains_key(""));
}

#[test]
fn top_words_of_mixed_text() {
    let top = top_words("Rust, rust. RUST? go Go", 2);
    assert_eq!(top, vec![("rust".to_string(), 3), ("go".to_string(), 2)]);
}
