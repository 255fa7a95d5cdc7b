package dtsapi

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aliyun/credentials-go/credentials/providers"
)

// countingProvider is a credentials-go provider that notices concurrent calls, which the real ones
// do not survive (they refresh cached credentials in place).
type countingProvider struct {
	inFlight, maxInFlight, calls atomic.Int32
	block                        chan struct{}
	creds                        *providers.Credentials
	err                          error
}

func (p *countingProvider) GetCredentials() (*providers.Credentials, error) {
	n := p.inFlight.Add(1)
	defer p.inFlight.Add(-1)
	for {
		m := p.maxInFlight.Load()
		if n <= m || p.maxInFlight.CompareAndSwap(m, n) {
			break
		}
	}
	p.calls.Add(1)
	if p.block != nil {
		<-p.block
	}
	time.Sleep(time.Millisecond)
	return p.creds, p.err
}

func (p *countingProvider) GetProviderName() string { return "counting" }

func TestCredentialsGoAdapterSerializesCalls(t *testing.T) {
	p := &countingProvider{creds: &providers.Credentials{AccessKeyId: "id", AccessKeySecret: "secret", SecurityToken: "tok"}}
	a := FromCredentialsGo(p)
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			c, err := a.Credentials(context.Background())
			if err != nil || c != (Credentials{AccessKeyID: "id", AccessKeySecret: "secret", SecurityToken: "tok"}) {
				t.Errorf("got %+v, %v", c, err)
			}
		})
	}
	wg.Wait()
	if p.maxInFlight.Load() != 1 || p.calls.Load() != 20 {
		t.Fatalf("max concurrent calls %d, calls %d", p.maxInFlight.Load(), p.calls.Load())
	}
}

func TestCredentialsGoAdapterHonoursContext(t *testing.T) {
	p := &countingProvider{block: make(chan struct{}), creds: &providers.Credentials{AccessKeyId: "id", AccessKeySecret: "s"}}
	defer close(p.block)
	a := FromCredentialsGo(p)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := a.Credentials(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want the context's error while the provider hangs, got %v", err)
	}
	ctx2, cancel2 := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel2()
	if _, err := a.Credentials(ctx2); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a caller queued behind a hanging call gives up with its context, got %v", err)
	}
}

func TestCredentialsGoAdapterErrors(t *testing.T) {
	for _, p := range []*countingProvider{
		{err: errors.New("no profile")},
		{creds: &providers.Credentials{AccessKeyId: "", AccessKeySecret: "x"}},
		{},
	} {
		if _, err := FromCredentialsGo(p).Credentials(context.Background()); err == nil {
			t.Errorf("want an error from %+v", p)
		}
	}
}
