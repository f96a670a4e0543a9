use pages::{parse_ranges, RangeError};

#[test]
fn spaces_are_allowed() {
    assert_eq!(parse_ranges("1-3, 5", 10), Ok(vec![1, 2, 3, 5]));
    assert_eq!(parse_ranges(" 2 - 4 ,6 ", 10), Ok(vec![2, 3, 4, 6]));
}

#[test]
fn open_range_runs_to_the_last_page() {
    assert_eq!(parse_ranges("7-", 10), Ok(vec![7, 8, 9, 10]));
    assert_eq!(parse_ranges("1, 9 -", 10), Ok(vec![1, 9, 10]));
    assert_eq!(parse_ranges("10-", 10), Ok(vec![10]));
}

#[test]
fn still_checked() {
    assert_eq!(parse_ranges("11-", 10), Err(RangeError::OutOfBounds(11)));
    assert_eq!(parse_ranges("0", 10), Err(RangeError::OutOfBounds(0)));
    assert!(matches!(parse_ranges("-", 10), Err(RangeError::InvalidRange(_))));
    assert!(matches!(parse_ranges("1,,2", 10), Err(RangeError::InvalidRange(_))));
}
