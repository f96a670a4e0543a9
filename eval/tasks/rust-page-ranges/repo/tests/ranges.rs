use pages::{parse_ranges, RangeError};

#[test]
fn single_pages_and_ranges() {
    assert_eq!(parse_ranges("1-3,5", 10), Ok(vec![1, 2, 3, 5]));
    assert_eq!(parse_ranges("5,1,5,2-3", 10), Ok(vec![1, 2, 3, 5]));
}

#[test]
fn errors() {
    assert_eq!(parse_ranges("11", 10), Err(RangeError::OutOfBounds(11)));
    assert_eq!(parse_ranges("4-2", 10), Err(RangeError::InvalidRange("4-2".to_string())));
    assert!(matches!(parse_ranges("a", 10), Err(RangeError::InvalidRange(_))));
}
