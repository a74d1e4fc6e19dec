package hssfake_test

import (
	"os"
	"strconv"
)

func itoa(i int) string { return strconv.Itoa(i) }

func writeFile(path, content string) error { return os.WriteFile(path, []byte(content), 0o600) }
