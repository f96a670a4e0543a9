// Package config reads the service's settings from the environment.
package config

import (
	"os"
	"strconv"
)

// Int is the integer in the environment variable name, or def when it is unset.
func Int(name string, def int) int {
	value, ok := os.LookupEnv(name)
	if !ok || value == "" {
		return def
	}
	n, _ := strconv.Atoi(value)
	return n
}

// String is the environment variable name, or def when it is unset or empty.
func String(name, def string) string {
	if value := os.Getenv(name); value != "" {
		return value
	}
	return def
}
