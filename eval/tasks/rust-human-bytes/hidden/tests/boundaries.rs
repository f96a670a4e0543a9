use sizes::human_bytes;

#[test]
fn exact_powers_use_the_larger_unit() {
    assert_eq!(human_bytes(1023), "1023 B");
    assert_eq!(human_bytes(1024), "1.0 KiB");
    assert_eq!(human_bytes(1024 * 1024), "1.0 MiB");
    assert_eq!(human_bytes(1024 * 1024 * 1024), "1.0 GiB");
}

#[test]
fn rounding_never_shows_1024_of_a_unit() {
    assert_eq!(human_bytes(1_048_575), "1.0 MiB");
    assert_eq!(human_bytes(1_048_524), "1023.9 KiB");
    assert_eq!(human_bytes(1024 * 1024 * 1024 - 1), "1.0 GiB");
}

#[test]
fn large_units() {
    assert_eq!(human_bytes(4096 * 1024_u64.pow(4)), "4.0 PiB");
    assert_eq!(human_bytes(3 * 1024_u64.pow(6)), "3.0 EiB");
    assert_eq!(human_bytes(u64::MAX), "16.0 EiB");
}
