package keydict

// FromKeys returns a Dict that assigns ID i to keys[i]. When a key repeats
// it returns nil and the index of the second occurrence. keys is not
// retained.
func FromKeys(keys []string) (*Dict, int) {
	d := &Dict{n: uint32(len(keys))}
	var counts [shards]int
	sh := make([]uint8, len(keys))
	for i, k := range keys {
		s := shardOf(k)
		sh[i] = uint8(s)
		counts[s]++
	}
	// Fill one shard at a time, so that the map being filled stays in
	// cache: order the indexes by shard (stable), then insert.
	var start [shards + 1]int
	for s := range shards {
		start[s+1] = start[s] + counts[s]
	}
	order := make([]uint32, len(keys))
	next := start
	for i := range keys {
		order[next[sh[i]]] = uint32(i)
		next[sh[i]]++
	}
	dup := -1
	for s := range d.shards {
		if counts[s] == 0 {
			continue
		}
		m := make(map[string]uint32, counts[s])
		for _, i := range order[start[s]:start[s+1]] {
			k := keys[i]
			if _, ok := m[k]; ok {
				if dup < 0 || int(i) < dup {
					dup = int(i)
				}
				continue
			}
			m[k] = i
		}
		d.shards[s] = m
	}
	if dup >= 0 {
		return nil, dup
	}
	for lo := 0; lo < len(keys); lo += pageSize {
		hi := min(lo+pageSize, len(keys))
		page := make([]string, hi-lo, pageSize)
		copy(page, keys[lo:hi])
		d.pages = append(d.pages, page)
	}
	return d, -1
}
