use wordfreq::{count_words, top_words};

#[test]
fn counts_plain_words() {
    let counts = count_words("the cat and the hat");
    assert_eq!(counts["the"], 2);
    assert_eq!(counts["cat"], 1);
    assert_eq!(counts.len(), 4);
}

#[test]
fn top_words_orders_by_count_then_name() {
    let top = top_words("b a c b a b", 2);
    assert_eq!(top, vec![("b".to_string(), 3), ("a".to_string(), 2)]);
}
