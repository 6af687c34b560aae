// Unit tests of core/units.h: exact strings for sizes, counts, durations and rates, and the
// size and duration parsers (binary K/KiB vs decimal KB, bad inputs rejected).
#include <doctest/doctest.h>

#include <optional>

#include "core/units.h"

using namespace memleak::core;

TEST_CASE("memleak::core::format_bytes") {
  SUBCASE("below one KiB prints whole bytes") {
    CHECK(format_bytes(0) == "0 B");
    CHECK(format_bytes(512) == "512 B");
    CHECK(format_bytes(1023) == "1023 B");
    CHECK(format_bytes(-100) == "-100 B");
  }
  SUBCASE("larger sizes print in binary units with one decimal") {
    CHECK(format_bytes(1024) == "1.0 KiB");
    CHECK(format_bytes(1536) == "1.5 KiB");              // 1536/1024 = 1.5
    CHECK(format_bytes(1048576) == "1.0 MiB");           // 2^20
    CHECK(format_bytes(1572864) == "1.5 MiB");           // 1.5 * 2^20
    CHECK(format_bytes(10 * 1073741824.0) == "10.0 GiB");
    CHECK(format_bytes(1099511627776.0) == "1.0 TiB");   // 2^40
    CHECK(format_bytes(1125899906842624.0) == "1.0 PiB");  // 2^50
  }
  SUBCASE("negative sizes keep their sign") {
    CHECK(format_bytes(-3072) == "-3.0 KiB");
    CHECK(format_bytes(-1048576) == "-1.0 MiB");
  }
  SUBCASE("beyond PiB the number grows instead of the unit") {
    CHECK(format_bytes(1152921504606846976.0) == "1024.0 PiB");  // 2^60
  }
}

// BUG: format_bytes chooses the unit before rounding, so a value just below a unit boundary
// rounds up to "1024.0" of the smaller unit: 1048575 B -> 1048575/1024 = 1023.999 KiB, printed
// with one decimal as "1024.0 KiB" (and 1023.6 B prints "1024 B"). Expected "1.0 MiB", "1.0 KiB".
TEST_CASE("memleak::core::format_bytes (just below a unit boundary)") {
  CHECK(format_bytes(1048575) == "1.0 MiB");
  CHECK(format_bytes(1023.6) == "1.0 KiB");
}

TEST_CASE("memleak::core::format_count") {
  SUBCASE("below ten thousand prints whole numbers") {
    CHECK(format_count(0) == "0");
    CHECK(format_count(42) == "42");
    CHECK(format_count(9999) == "9999");
    CHECK(format_count(-5) == "-5");
  }
  SUBCASE("thousands, millions and billions print with one decimal") {
    CHECK(format_count(10000) == "10.0k");     // 10000/1e3
    CHECK(format_count(12345) == "12.3k");     // 12.345 -> 12.3
    CHECK(format_count(5e6) == "5000.0k");     // below 10e6 stays in k
    CHECK(format_count(1e7) == "10.0M");
    CHECK(format_count(2.5e9) == "2500.0M");   // below 10e9 stays in M
    CHECK(format_count(1e10) == "10.0G");
    CHECK(format_count(-12345) == "-12.3k");
  }
}

TEST_CASE("memleak::core::format_value") {
  CHECK(format_value(2048, Metric::LiveBytes) == "2.0 KiB");
  CHECK(format_value(2048, Metric::AllocBytes) == "2.0 KiB");
  CHECK(format_value(2048, Metric::LiveObjects) == "2048");
  CHECK(format_value(12345, Metric::Goroutines) == "12.3k");
}

TEST_CASE("memleak::core::format_delta") {
  SUBCASE("growth carries an explicit plus") {
    CHECK(format_delta(1572864, Metric::LiveBytes) == "+1.5 MiB");
    CHECK(format_delta(3, Metric::LiveObjects) == "+3");
  }
  SUBCASE("a fall carries its minus and zero carries no sign") {
    CHECK(format_delta(-3072, Metric::LiveBytes) == "-3.0 KiB");
    CHECK(format_delta(0, Metric::LiveBytes) == "0 B");
  }
}

TEST_CASE("memleak::core::format_duration") {
  SUBCASE("below a second in milliseconds") {
    CHECK(format_duration(0) == "0ms");
    CHECK(format_duration(0.25) == "250ms");
  }
  SUBCASE("below two minutes in seconds") {
    CHECK(format_duration(1) == "1.0s");
    CHECK(format_duration(90) == "90.0s");
  }
  SUBCASE("below two hours in minutes") {
    CHECK(format_duration(120) == "2.0min");
    CHECK(format_duration(3600) == "60.0min");
  }
  SUBCASE("below two days in hours, then days") {
    CHECK(format_duration(7200) == "2.0h");
    CHECK(format_duration(86400) == "24.0h");
    CHECK(format_duration(172800) == "2.0d");
    CHECK(format_duration(30 * 86400.0) == "30.0d");
  }
}

// BUG: the same unit-before-rounding problem in format_duration: 0.9996 s prints "1000ms" and
// 119.96 s prints "120.0s" instead of "1.0s" and "2.0min".
TEST_CASE("memleak::core::format_duration (just below a unit boundary)") {
  CHECK(format_duration(0.9996) == "1.0s");
  CHECK(format_duration(119.96) == "2.0min");
}

TEST_CASE("memleak::core::format_rate") {
  SUBCASE("ten or more per second prints per second") {
    CHECK(format_rate(100, Metric::LiveBytes) == "100 B/s");
    CHECK(format_rate(2048, Metric::LiveBytes) == "2.0 KiB/s");
    CHECK(format_rate(20, Metric::LiveObjects) == "20/s");
  }
  SUBCASE("ten or more per minute prints per minute") {
    // 1 B/s * 60 = 60 B/min
    CHECK(format_rate(1, Metric::LiveBytes) == "60 B/min");
  }
  SUBCASE("less prints per hour") {
    // 0.1 B/s * 60 = 6 < 10 -> 0.1 * 3600 = 360 B/h
    CHECK(format_rate(0.1, Metric::LiveBytes) == "360 B/h");
    // 1 MiB/h = 1048576/3600 = 291.27 B/s >= 10 -> per second: "291 B/s"
    CHECK(format_rate(1048576.0 / 3600, Metric::LiveBytes) == "291 B/s");
  }
  SUBCASE("a negative rate chooses its unit by magnitude") {
    CHECK(format_rate(-100, Metric::LiveBytes) == "-100 B/s");
    CHECK(format_rate(-0.1, Metric::LiveBytes) == "-360 B/h");
  }
}

TEST_CASE("memleak::core::parse_size") {
  SUBCASE("a bare number is bytes") {
    CHECK(parse_size("100") == 100.0);
    CHECK(parse_size("1.5") == 1.5);
    CHECK(parse_size("0") == 0.0);
  }
  SUBCASE("K, k and KiB are 1024; KB and kB are 1000") {
    CHECK(parse_size("10K") == 10240.0);
    CHECK(parse_size("10k") == 10240.0);
    CHECK(parse_size("10KiB") == 10240.0);
    CHECK(parse_size("10KB") == 10000.0);
    CHECK(parse_size("10kB") == 10000.0);
  }
  SUBCASE("M, G and T come in binary and decimal") {
    CHECK(parse_size("1.5MiB") == 1572864.0);   // 1.5 * 1048576
    CHECK(parse_size("2M") == 2097152.0);
    CHECK(parse_size("2MB") == 2e6);
    CHECK(parse_size("1GiB") == 1073741824.0);
    CHECK(parse_size("3G") == 3221225472.0);    // 3 * 2^30
    CHECK(parse_size("1GB") == 1e9);
    CHECK(parse_size("1TiB") == 1099511627776.0);
    CHECK(parse_size("1T") == 1099511627776.0);
    CHECK(parse_size("1TB") == 1e12);
    CHECK(parse_size("512B") == 512.0);
  }
  SUBCASE("spaces between number and unit and after the unit are allowed") {
    CHECK(parse_size("2 GiB") == 2147483648.0);
    CHECK(parse_size("5 ") == 5.0);
    CHECK(parse_size("5 KiB ") == 5120.0);
  }
  SUBCASE("anything else is rejected") {
    CHECK(parse_size("") == std::nullopt);
    CHECK(parse_size("abc") == std::nullopt);
    CHECK(parse_size("MiB") == std::nullopt);
    CHECK(parse_size("10XB") == std::nullopt);
    CHECK(parse_size("10 kib") == std::nullopt);
    CHECK(parse_size("10 mb") == std::nullopt);
    CHECK(parse_size(" 10") == std::nullopt);
    CHECK(parse_size("0x10") == std::nullopt);
    CHECK(parse_size("nan") == std::nullopt);
    CHECK(parse_size("inf") == std::nullopt);
    CHECK(parse_size("10KiBs") == std::nullopt);
  }
}

TEST_CASE("memleak::core::parse_duration") {
  SUBCASE("every unit") {
    CHECK(parse_duration("500ms") == 0.5);
    CHECK(parse_duration("30s") == 30.0);
    CHECK(parse_duration("10sec") == 10.0);
    CHECK(parse_duration("5m") == 300.0);
    CHECK(parse_duration("5min") == 300.0);
    CHECK(parse_duration("2h") == 7200.0);
    CHECK(parse_duration("1d") == 86400.0);
    CHECK(parse_duration("1.5h") == 5400.0);
  }
  SUBCASE("a bare number is seconds") { CHECK(parse_duration("45") == 45.0); }
  SUBCASE("negative durations and unknown units are rejected") {
    CHECK(parse_duration("-5s") == std::nullopt);
    CHECK(parse_duration("5x") == std::nullopt);
    CHECK(parse_duration("") == std::nullopt);
    CHECK(parse_duration("h") == std::nullopt);
    CHECK(parse_duration("5 hours") == std::nullopt);
  }
}
