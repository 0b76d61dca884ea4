// ura_sha_ni_ways: is SHA-NI on this CPU latency-bound? Compresses 64-byte blocks of
// independent messages 1, 2 and 4 at a time, interleaved, with one plain (untuned) SHA-NI
// kernel, and prints GB/s for each; checks the kernel against OpenSSL first (SHA-256("abc")).
// If 2- and 4-way are much faster than 1-way, a Merkle tree -- whose leaves, and whose nodes
// on one level, are independent messages -- can be hashed faster per block than one stream
// (openssl dgst). For bench/RESULTS.md; an experiment, not code Ura uses.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <immintrin.h>
#include <openssl/sha.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

namespace {

alignas(16) static const uint32_t K[64]={0x428a2f98,0x71374491,0xb5c0fbcf,0xe9b5dba5,0x3956c25b,0x59f111f1,0x923f82a4,0xab1c5ed5,0xd807aa98,0x12835b01,0x243185be,0x550c7dc3,0x72be5d74,0x80deb1fe,0x9bdc06a7,0xc19bf174,0xe49b69c1,0xefbe4786,0x0fc19dc6,0x240ca1cc,0x2de92c6f,0x4a7484aa,0x5cb0a9dc,0x76f988da,0x983e5152,0xa831c66d,0xb00327c8,0xbf597fc7,0xc6e00bf3,0xd5a79147,0x06ca6351,0x14292967,0x27b70a85,0x2e1b2138,0x4d2c6dfc,0x53380d13,0x650a7354,0x766a0abb,0x81c2c92e,0x92722c85,0xa2bfe8a1,0xa81a664b,0xc24b8b70,0xc76c51a3,0xd192e819,0xd6990624,0xf40e3585,0x106aa070,0x19a4c116,0x1e376c08,0x2748774c,0x34b0bcb5,0x391c0cb3,0x4ed8aa4a,0x5b9cca4f,0x682e6ff3,0x748f82ee,0x78a5636f,0x84c87814,0x8cc70208,0x90befffa,0xa4506ceb,0xbef9a3f7,0xc67178f2};
// Process one 64-byte block for N independent states (state0 = ABEF, state1 = CDGH).
template<int N>
__attribute__((target("sha,sse4.1"))) inline void Blocks(__m128i* s0, __m128i* s1, const uint8_t* const* data) {
  const __m128i MASK=_mm_set_epi64x(0x0c0d0e0f08090a0bULL,0x0405060700010203ULL);
  __m128i a0[N],a1[N],m0[N],m1[N],m2[N],m3[N],msg[N],t[N];
  for(int i=0;i<N;i++){a0[i]=s0[i];a1[i]=s1[i];
    m0[i]=_mm_shuffle_epi8(_mm_loadu_si128((const __m128i*)(data[i]+0)),MASK);
    m1[i]=_mm_shuffle_epi8(_mm_loadu_si128((const __m128i*)(data[i]+16)),MASK);
    m2[i]=_mm_shuffle_epi8(_mm_loadu_si128((const __m128i*)(data[i]+32)),MASK);
    m3[i]=_mm_shuffle_epi8(_mm_loadu_si128((const __m128i*)(data[i]+48)),MASK);}
  __m128i* M[4]={m0,m1,m2,m3};
  for(int r=0;r<16;r++){
    __m128i k=_mm_load_si128((const __m128i*)&K[r*4]);
    __m128i* cur=M[r&3];
    for(int i=0;i<N;i++){
      msg[i]=_mm_add_epi32(cur[i],k);
      s1[i]=_mm_sha256rnds2_epu32(s1[i],s0[i],msg[i]);
      msg[i]=_mm_shuffle_epi32(msg[i],0x0E);
      s0[i]=_mm_sha256rnds2_epu32(s0[i],s1[i],msg[i]);
    }
    if(r<12){ // schedule: W[r+4] group = f(cur, next...)
      __m128i* n1=M[(r+1)&3]; __m128i* n2=M[(r+2)&3]; __m128i* n3=M[(r+3)&3];
      for(int i=0;i<N;i++){
        // new = sha256msg2(sha256msg1(cur,n1) + alignr(n3,n2,4), n3)
        t[i]=_mm_sha256msg1_epu32(cur[i],n1[i]);
        t[i]=_mm_add_epi32(t[i],_mm_alignr_epi8(n3[i],n2[i],4));
        cur[i]=_mm_sha256msg2_epu32(t[i],n3[i]);
      }
    }
  }
  for(int i=0;i<N;i++){s0[i]=_mm_add_epi32(s0[i],a0[i]);s1[i]=_mm_add_epi32(s1[i],a1[i]);}
}

template <int N>
double Run(const std::vector<uint8_t>& buf, size_t blocks) {
  __m128i s0[N], s1[N];
  for (int i = 0; i < N; i++) {
    s0[i] = _mm_set1_epi32(i + 1);
    s1[i] = _mm_set1_epi32(i + 7);
  }
  auto t = std::chrono::steady_clock::now();
  for (size_t b = 0; b + N <= blocks; b += N) {
    const uint8_t* d[N];
    for (int i = 0; i < N; i++) d[i] = buf.data() + (b + i) * 64;
    Blocks<N>(s0, s1, d);
  }
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
  volatile int sink = _mm_cvtsi128_si32(s0[0]);
  (void)sink;
  return s;
}

}  // namespace

int main() {
  if (!__builtin_cpu_supports("sha")) {
    std::printf("no SHA-NI on this CPU\n");
    return 0;
  }
  // Self-check: one padded block of "abc".
  uint8_t blk[64] = {'a', 'b', 'c', 0x80};
  blk[63] = 24;
  const uint32_t H[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                         0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  __m128i s0 = _mm_set_epi32(H[0], H[1], H[4], H[5]), s1 = _mm_set_epi32(H[2], H[3], H[6], H[7]);
  const uint8_t* d[1] = {blk};
  Blocks<1>(&s0, &s1, d);
  uint32_t a[4], c[4];
  _mm_storeu_si128(reinterpret_cast<__m128i*>(a), s0);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(c), s1);
  const uint32_t mine[8] = {a[3], a[2], c[3], c[2], a[1], a[0], c[1], c[0]};
  unsigned char ref[32];
  SHA256(reinterpret_cast<const unsigned char*>("abc"), 3, ref);
  for (int i = 0; i < 8; i++) {
    uint32_t r = uint32_t(ref[4 * i]) << 24 | uint32_t(ref[4 * i + 1]) << 16 | uint32_t(ref[4 * i + 2]) << 8 | ref[4 * i + 3];
    if (r != mine[i]) {
      std::printf("kernel self-check FAILED\n");
      return 1;
    }
  }
  const size_t blocks = 4 << 20;  // 256 MiB
  std::vector<uint8_t> buf(blocks * 64, 7);
  double best[3] = {1e9, 1e9, 1e9};
  for (int rep = 0; rep < 3; rep++) {
    best[0] = std::min(best[0], Run<1>(buf, blocks));
    best[1] = std::min(best[1], Run<2>(buf, blocks));
    best[2] = std::min(best[2], Run<4>(buf, blocks));
  }
  std::printf("SHA-NI kernel (self-check ok), best of 3 over 256 MiB of blocks:\n"
              "  1-way %.2f GB/s   2-way %.2f GB/s   4-way %.2f GB/s\n",
              blocks * 64 / best[0] / 1e9, blocks * 64 / best[1] / 1e9, blocks * 64 / best[2] / 1e9);
  return 0;
}
