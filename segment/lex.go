package segment

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokKind is the kind of a token of the text form.
type tokKind uint8

const (
	tEOF    tokKind = iota
	tIdent          // bare word: a field name or a keyword
	tQuoted         // `back-quoted` field name; text is the name
	tString         // "Go string" or 'Go string'; text is the unquoted value
	tNumber         // -12, 3.25, 1e9, +Inf
	tTime           // 2024-01-31T12:00:00Z
	tPunct          // ( ) , = != < <= > >=
)

type token struct {
	kind      tokKind
	text      string // the value (unquoted for tString and tQuoted)
	src       string // the token as written
	line, col int
}

// found describes the token for an error message.
func (t token) found() string {
	if t.kind == tEOF {
		return "end of input"
	}
	s := t.src
	if len(s) > 40 {
		s = s[:37] + "..."
	}
	return strconv.Quote(s)
}

// lexer splits the text form into tokens. Positions are 1-based lines and
// columns counted in characters.
type lexer struct {
	src       string
	pos       int
	line, col int
}

func newLexer(src string) *lexer { return &lexer{src: src, line: 1, col: 1} }

func (lx *lexer) advance(n int) {
	for _, r := range lx.src[lx.pos : lx.pos+n] {
		if r == '\n' {
			lx.line, lx.col = lx.line+1, 1
		} else {
			lx.col++
		}
	}
	lx.pos += n
}

func (lx *lexer) errAt(line, col int, found, expected string) *ParseError {
	return &ParseError{Line: line, Col: col, Found: found, Expected: expected, Err: ErrSyntax}
}

// next returns the next token.
func (lx *lexer) next() (token, error) {
	for lx.pos < len(lx.src) {
		r, n := utf8.DecodeRuneInString(lx.src[lx.pos:])
		if !unicode.IsSpace(r) {
			break
		}
		lx.advance(n)
	}
	t := token{line: lx.line, col: lx.col}
	if lx.pos == len(lx.src) {
		return t, nil
	}
	rest := lx.src[lx.pos:]
	c := rest[0]
	n := 0
	switch {
	case c == '(' || c == ')' || c == ',' || c == '=':
		t.kind, n = tPunct, 1
	case c == '!' || c == '<' || c == '>':
		t.kind, n = tPunct, 1
		if len(rest) > 1 && rest[1] == '=' {
			n = 2
		} else if c == '!' {
			return t, lx.errAt(t.line, t.col, strconv.Quote(rest[:1]), "\"!=\"")
		}
	case c == '"' || c == '\'':
		var err error
		if n, t.text, err = lx.scanString(rest, t); err != nil {
			return t, err
		}
		t.kind = tString
	case c == '`':
		var err error
		if n, t.text, err = lx.scanQuotedName(rest, t); err != nil {
			return t, err
		}
		t.kind = tQuoted
	case isTimeStart(rest):
		t.kind = tTime
		n = len(rest) - len(strings.TrimLeft(rest, "0123456789-+:.TtZz"))
	case c >= '0' && c <= '9' || (c == '-' || c == '+' || c == '.') && len(rest) > 1 && (isDigit(rest[1]) || rest[1] == '.'):
		t.kind, n = tNumber, scanNumber(rest)
	case (c == '-' || c == '+') && len(rest) >= 4 && strings.EqualFold(rest[1:4], "inf"):
		t.kind, n = tNumber, 4
	default:
		r, size := utf8.DecodeRuneInString(rest)
		if r != '_' && !unicode.IsLetter(r) {
			return t, lx.errAt(t.line, t.col, strconv.Quote(rest[:size]), "a field name, a value, an operator or a parenthesis")
		}
		n = len(rest) - len(strings.TrimLeftFunc(rest, func(r rune) bool {
			return r == '_' || r == '.' || unicode.IsLetter(r) || unicode.IsDigit(r)
		}))
		t.kind = tIdent
	}
	t.src = rest[:n]
	if t.kind != tString && t.kind != tQuoted {
		t.text = t.src
	}
	lx.advance(n)
	return t, nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isTimeStart reports whether s starts like an RFC 3339 date: 4 digits and
// a dash.
func isTimeStart(s string) bool {
	return len(s) >= 5 && isDigit(s[0]) && isDigit(s[1]) && isDigit(s[2]) && isDigit(s[3]) && s[4] == '-'
}

// scanNumber returns the length of the number at the start of s:
// [+-] digits [. digits] [e [+-] digits].
func scanNumber(s string) int {
	i := 0
	if s[i] == '-' || s[i] == '+' {
		i++
	}
	digits := func() {
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	}
	digits()
	if i < len(s) && s[i] == '.' {
		i++
		digits()
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if j < len(s) && isDigit(s[j]) {
			i = j
			digits()
		}
	}
	return i
}

// scanString scans a Go string literal in double or single quotes (in
// single quotes, \' stands for ' and " needs no escape). The literal must
// be valid UTF-8: a byte that is not is an error at its position, not
// U+FFFD (escapes such as \xff write any byte).
func (lx *lexer) scanString(s string, t token) (int, string, error) {
	q := s[0]
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '\n':
			i = len(s)
		case q:
			if bad := invalidUTF8(s[:i]); bad >= 0 {
				// strconv.Unquote would read the byte as U+FFFD.
				return 0, "", lx.errAt(t.line, t.col+utf8.RuneCountInString(s[:bad]), strconv.Quote(s[bad:bad+1]), "valid UTF-8 in a string (write other bytes as \\x escapes)")
			}
			lit := s[:i+1]
			if q == '\'' {
				lit = doubleQuoted(s[1:i])
			}
			v, err := strconv.Unquote(lit)
			if err != nil {
				return 0, "", lx.errAt(t.line, t.col, strconv.Quote(s[:i+1]), "a string with valid Go escapes")
			}
			return i + 1, v, nil
		}
	}
	return 0, "", lx.errAt(t.line, t.col, "an unterminated string", "a closing "+strconv.QuoteRune(rune(q))+" on the same line")
}

// doubleQuoted turns the inside of a single-quoted string into a
// double-quoted Go literal: \' becomes ', " becomes \".
func doubleQuoted(in string) string {
	var sb strings.Builder
	sb.WriteByte('"')
	for i := 0; i < len(in); i++ {
		switch {
		case in[i] == '\\' && i+1 < len(in) && in[i+1] == '\'':
			sb.WriteByte('\'')
			i++
		case in[i] == '\\' && i+1 < len(in):
			sb.WriteString(in[i : i+2])
			i++
		case in[i] == '"':
			sb.WriteString(`\"`)
		default:
			sb.WriteByte(in[i])
		}
	}
	sb.WriteByte('"')
	return sb.String()
}

// invalidUTF8 returns the offset of the first byte of s that is not part of
// valid UTF-8, or -1.
func invalidUTF8(s string) int {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n == 1 {
				return i
			}
		}
	}
	return -1
}

// scanQuotedName scans a back-quoted field name, in which two back quotes
// stand for one.
func (lx *lexer) scanQuotedName(s string, t token) (int, string, error) {
	var sb strings.Builder
	for i := 1; i < len(s); i++ {
		if s[i] != '`' {
			sb.WriteByte(s[i])
			continue
		}
		if i+1 < len(s) && s[i+1] == '`' {
			sb.WriteByte('`')
			i++
			continue
		}
		return i + 1, sb.String(), nil
	}
	return 0, "", lx.errAt(t.line, t.col, "an unterminated field name", "a closing '`'")
}
