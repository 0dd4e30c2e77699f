package parse

import "strings"

// objects reads the objects in body, starting at the '{' at start, and
// merges their fields (the first writer of a key wins). It reports whether
// the first one broke off.
func (p *Parser) objects(body string, start int) (firstBroken bool) {
	tries, read := 0, 0
	for start >= 0 && tries < maxObjTries && read < maxObjects {
		tries++
		before := p.tab.len()
		p.obj = objReader{s: body, i: start, fields: &p.tab, arena: &p.arena, key: p.obj.key[:0]}
		ok := p.obj.readObject()
		if tries == 1 && !ok {
			firstBroken = true
		}
		next := p.obj.i
		if p.tab.len() > before {
			read++
			tries = 0
		}
		if next <= start {
			next = start + 1
		}
		if next >= len(body) {
			break
		}
		i := strings.IndexByte(body[next:], '{')
		if i < 0 {
			break
		}
		start = next + i
	}
	return firstBroken
}
