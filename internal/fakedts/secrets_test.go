package fakedts

import (
	"slices"
	"testing"
)

func TestSecretForms(t *testing.T) {
	got := SecretForms("a+b/c= d")
	want := []string{"a+b/c= d", "a%2Bb%2Fc%3D%20d", "a%252Bb%252Fc%253D%2520d", "a%2Bb%2Fc%3D+d", "a%252Bb%252Fc%253D%2Bd"}
	if !slices.Equal(got, want) {
		t.Errorf("SecretForms = %q, want %q", got, want)
	}
	if len(SecretForms("plain")) != 1 {
		t.Errorf("a secret without special characters has one form, got %q", SecretForms("plain"))
	}
}

func TestLeakedForm(t *testing.T) {
	for text, want := range map[string]bool{
		"token a%252bb%252fc%253d%2520d echoed": true,
		"raw a+b/c= d":                          true,
		"a%2Bb%2Fc%3D+d":                        true,
		"[REDACTED] only":                       false,
	} {
		if _, got := LeakedForm(text, "a+b/c= d"); got != want {
			t.Errorf("LeakedForm(%q) = %v, want %v", text, got, want)
		}
	}
}
