package eventstream

import (
	"encoding/binary"
	"hash/crc32"
)

// preludeChecksum returns the CRC-32 (IEEE) of the first 8 bytes of b.
//
// crc32.ChecksumIEEE is the fastest way to the message checksum, which
// covers the whole frame: it folds 16 bytes at a time with PCLMULQDQ. On 8
// bytes it only costs: a sync.Once check, then a byte loop behind an
// indirect call. One unrolled step of slicing-by-8 costs a fraction of it.
func preludeChecksum(b []byte) uint32 {
	t := &slicing8
	crc := ^binary.LittleEndian.Uint32(b[0:4])
	return ^(t[0][b[7]] ^ t[1][b[6]] ^ t[2][b[5]] ^ t[3][b[4]] ^
		t[4][crc>>24] ^ t[5][(crc>>16)&0xff] ^ t[6][(crc>>8)&0xff] ^ t[7][crc&0xff])
}

// slicing8 holds the slicing-by-8 tables of the IEEE polynomial:
// slicing8[k][v] is the CRC register after byte v followed by k zero bytes,
// from a zero register.
var slicing8 = func() (t [8][256]uint32) {
	t[0] = *crc32.IEEETable
	for v := range 256 {
		crc := t[0][v]
		for k := 1; k < 8; k++ {
			crc = t[0][crc&0xff] ^ crc>>8
			t[k][v] = crc
		}
	}
	return t
}()
