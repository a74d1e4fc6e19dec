package hwcloud

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"strings"
)

// checkContentType accepts JSON, and a missing Content-Type.
func checkContentType(v string) error {
	if v == "" {
		return nil
	}
	mediaType, _, err := mime.ParseMediaType(v)
	if err != nil || (mediaType != "application/json" && !strings.HasSuffix(mediaType, "+json")) {
		return fmt.Errorf("Content-Type is %q, not JSON", v)
	}
	return nil
}

// errBodyTooLarge marks a response larger than MaxBodyBytes.
var errBodyTooLarge = fmt.Errorf("response body larger than %d bytes", MaxBodyBytes)

func readLimited(r io.Reader, limit int64) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(body)) > limit {
		return nil, errBodyTooLarge
	}
	return body, nil
}

// decodeBody decodes a 2xx body into out, or reads it to the end when out
// is nil. A body that is not the documented JSON is quoted in the error,
// unless withhold: an answer that carries credentials.
func decodeBody(resp *http.Response, out any, withhold bool) error {
	contentType := resp.Header.Get("Content-Type")
	if err := checkContentType(contentType); err != nil {
		if withhold {
			n, _ := io.Copy(io.Discard, io.LimitReader(resp.Body, MaxBodyBytes))
			return &decodeError{err: err, withheld: true, contentType: contentType, length: n}
		}
		head, _ := readLimited(io.LimitReader(resp.Body, bodySnippetLen+1), bodySnippetLen+1)
		return &decodeError{err: err, head: head}
	}
	if out == nil {
		_, err := io.Copy(io.Discard, io.LimitReader(resp.Body, MaxBodyBytes))
		return err
	}
	err := decodeJSON(resp.Body, out, withhold)
	if de := (*decodeError)(nil); errors.As(err, &de) {
		de.contentType = contentType
	}
	return err
}

// decodeError is a 2xx body that is not the documented JSON; retrying would
// not help.
type decodeError struct {
	err  error
	head []byte
	// withheld: the body carries credentials, and only its Content-Type and
	// length are told.
	withheld    bool
	contentType string
	length      int64
}

func (e *decodeError) Error() string {
	if e.withheld {
		return fmt.Sprintf("response body is not the documented JSON (%s); %s, not quoted: the answer carries credentials",
			withheldReason(e.err), describeBody(e.contentType, e.length))
	}
	return fmt.Sprintf("response body is not the documented JSON (%v): %s", e.err, snippet(e.head))
}

func (e *decodeError) Unwrap() error { return e.err }

// errDataAfter is a body with more after its JSON document.
var errDataAfter = errors.New("data after the JSON document")

// DecodeJSON decodes one JSON document as it is read, so a page is never
// held twice in memory, and refuses bodies over MaxBodyBytes and data after
// the document.
func DecodeJSON(r io.Reader, out any) error { return decodeJSON(r, out, false) }

// DecodeCredentialJSON is DecodeJSON for a body that carries credentials:
// its errors never quote the body, and tell its length and contentType.
func DecodeCredentialJSON(r io.Reader, contentType string, out any) error {
	if err := checkContentType(contentType); err != nil {
		n, _ := io.Copy(io.Discard, io.LimitReader(r, MaxBodyBytes))
		return &decodeError{err: err, withheld: true, contentType: contentType, length: n}
	}
	err := decodeJSON(r, out, true)
	if de := (*decodeError)(nil); errors.As(err, &de) {
		de.contentType = contentType
	}
	return err
}

func decodeJSON(r io.Reader, out any, withhold bool) error {
	lr := &limitedReader{r: r, left: MaxBodyBytes, withhold: withhold}
	dec := json.NewDecoder(lr)
	err := dec.Decode(out)
	if err == nil {
		var syntax *json.SyntaxError
		switch _, tail := dec.Token(); {
		case errors.Is(tail, io.EOF):
		case tail == nil || errors.As(tail, &syntax):
			err = errDataAfter
		default:
			err = tail // the network or the size limit
		}
	}
	if err != nil {
		if errors.Is(err, errBodyTooLarge) {
			return err
		}
		if lr.readErr != nil {
			// The body was cut short by the network, not malformed.
			return lr.readErr
		}
		var netErr net.Error
		if errors.As(err, &netErr) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return err
		}
		if withhold {
			_, _ = io.Copy(io.Discard, lr)
			return &decodeError{err: err, withheld: true, length: MaxBodyBytes - lr.left}
		}
		return &decodeError{err: err, head: lr.head}
	}
	// Read to the end, so that the connection can be reused.
	_, err = io.Copy(io.Discard, lr)
	return err
}

// limitedReader fails with errBodyTooLarge past its limit and keeps the
// first bytes read, to quote in errors, unless withhold.
type limitedReader struct {
	r        io.Reader
	left     int64
	head     []byte
	withhold bool
	readErr  error // what reading failed with, other than the end of the body
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		return 0, errBodyTooLarge
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	if err != nil && err != io.EOF {
		l.readErr = err
	}
	l.left -= int64(n)
	if room := bodySnippetLen + 1 - len(l.head); room > 0 && !l.withhold {
		l.head = append(l.head, p[:min(n, room)]...)
	}
	return n, err
}
