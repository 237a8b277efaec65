;; Batched matrix products for TF.js's wasm backend, with 128-bit SIMD.
;; Row-major float32, all in the backend's own memory (imported), so no copies;
;; TF.js's own wasm BatchMatMul is a scalar loop for these shapes (~2.6 GFLOP/s here).
;;   bmm:   out[b] = A[b] (M x K)    times B[b] (K x N)
;;   bmmTN: out[b] = A[b]^T, A[b] stored K x M, times B[b] (K x N)
;;   bmmNT: out[b] = A[b] (M x K)    times B[b]^T, B[b] stored N x K
;; bmm and bmmTN need N a multiple of 16: each step keeps a 1 x 16 strip of the
;; output in four f32x4 registers and walks k, broadcasting A[i,k] against four
;; vectors of B's row k (the two differ only in how A is walked). bmmNT needs
;; K and N multiples of 4: four dot products of A's row i with B's rows j..j+3
;; at once, reduced across lanes at the end. The transposed forms are the
;; gradients of bmm without a transpose kernel.
(module
  (import "env" "memory" (memory 1))

  ;; A[i,k] is at a + b*M*K*4 + i*aRow + k*aStep (bytes).
  (func $broadcast
    (param $a i32) (param $b i32) (param $out i32)
    (param $batch i32) (param $m i32) (param $k i32) (param $n i32)
    (param $aRow i32) (param $aStep i32)
    (local $bi i32) (local $i i32) (local $j i32) (local $kk i32)
    (local $arow i32) (local $ap i32) (local $bp i32) (local $op i32)
    (local $rowBytes i32) (local $aSize i32) (local $bSize i32) (local $oSize i32)
    (local $s v128) (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (local.set $rowBytes (i32.shl (local.get $n) (i32.const 2)))
    (local.set $aSize (i32.shl (i32.mul (local.get $m) (local.get $k)) (i32.const 2)))
    (local.set $bSize (i32.shl (i32.mul (local.get $k) (local.get $n)) (i32.const 2)))
    (local.set $oSize (i32.shl (i32.mul (local.get $m) (local.get $n)) (i32.const 2)))
    (local.set $bi (i32.const 0))
    (block $bdone (loop $bloop
      (br_if $bdone (i32.ge_u (local.get $bi) (local.get $batch)))
      (local.set $i (i32.const 0))
      (block $idone (loop $iloop
        (br_if $idone (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $arow (i32.add (i32.add (local.get $a) (i32.mul (local.get $bi) (local.get $aSize)))
                                  (i32.mul (local.get $i) (local.get $aRow))))
        (local.set $j (i32.const 0))
        (block $jdone (loop $jloop
          (br_if $jdone (i32.ge_u (local.get $j) (local.get $n)))
          (local.set $c0 (v128.const i32x4 0 0 0 0))
          (local.set $c1 (v128.const i32x4 0 0 0 0))
          (local.set $c2 (v128.const i32x4 0 0 0 0))
          (local.set $c3 (v128.const i32x4 0 0 0 0))
          (local.set $ap (local.get $arow))
          ;; bp = b + bi*K*N*4 + j*4
          (local.set $bp (i32.add (i32.add (local.get $b) (i32.mul (local.get $bi) (local.get $bSize)))
                                  (i32.shl (local.get $j) (i32.const 2))))
          (local.set $kk (i32.const 0))
          (block $kdone (loop $kloop
            (br_if $kdone (i32.ge_u (local.get $kk) (local.get $k)))
            (local.set $s (f32x4.splat (f32.load (local.get $ap))))
            (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (local.get $s) (v128.load offset=0 (local.get $bp)))))
            (local.set $c1 (f32x4.add (local.get $c1) (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $bp)))))
            (local.set $c2 (f32x4.add (local.get $c2) (f32x4.mul (local.get $s) (v128.load offset=32 (local.get $bp)))))
            (local.set $c3 (f32x4.add (local.get $c3) (f32x4.mul (local.get $s) (v128.load offset=48 (local.get $bp)))))
            (local.set $ap (i32.add (local.get $ap) (local.get $aStep)))
            (local.set $bp (i32.add (local.get $bp) (local.get $rowBytes)))
            (local.set $kk (i32.add (local.get $kk) (i32.const 1)))
            (br $kloop)))
          ;; op = out + bi*M*N*4 + (i*N + j)*4
          (local.set $op (i32.add (i32.add (local.get $out) (i32.mul (local.get $bi) (local.get $oSize)))
                                  (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 2))))
          (v128.store offset=0 (local.get $op) (local.get $c0))
          (v128.store offset=16 (local.get $op) (local.get $c1))
          (v128.store offset=32 (local.get $op) (local.get $c2))
          (v128.store offset=48 (local.get $op) (local.get $c3))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br $jloop)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $iloop)))
      (local.set $bi (i32.add (local.get $bi) (i32.const 1)))
      (br $bloop)))
  )

  (func (export "bmm")
    (param $a i32) (param $b i32) (param $out i32)
    (param $batch i32) (param $m i32) (param $k i32) (param $n i32)
    (call $broadcast (local.get $a) (local.get $b) (local.get $out) (local.get $batch) (local.get $m) (local.get $k) (local.get $n)
      (i32.shl (local.get $k) (i32.const 2)) (i32.const 4)))

  (func (export "bmmTN")
    (param $a i32) (param $b i32) (param $out i32)
    (param $batch i32) (param $m i32) (param $k i32) (param $n i32)
    (call $broadcast (local.get $a) (local.get $b) (local.get $out) (local.get $batch) (local.get $m) (local.get $k) (local.get $n)
      (i32.const 4) (i32.shl (local.get $m) (i32.const 2))))

  ;; The four lanes of x summed, as lane 0 of the result; the sums of four vectors as one vector.
  (func $sum4 (param $w v128) (param $x v128) (param $y v128) (param $z v128) (result v128)
    (local $wx v128) (local $yz v128)
    ;; wx = [w0+w2, w1+w3, x0+x2, x1+x3], yz likewise
    (local.set $wx (f32x4.add
      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $w) (local.get $x))
      (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $w) (local.get $x))))
    (local.set $yz (f32x4.add
      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $y) (local.get $z))
      (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $y) (local.get $z))))
    (f32x4.add
      (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $wx) (local.get $yz))
      (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $wx) (local.get $yz))))

  (func (export "bmmNT")
    (param $a i32) (param $b i32) (param $out i32)
    (param $batch i32) (param $m i32) (param $k i32) (param $n i32)
    (local $bi i32) (local $i i32) (local $j i32)
    (local $abase i32) (local $bbase i32) (local $ap i32) (local $aend i32) (local $op i32)
    (local $bp i32) (local $bp1 i32) (local $bp2 i32) (local $bp3 i32)
    (local $rowBytes i32) (local $aSize i32) (local $bSize i32)
    (local $x v128) (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (local.set $rowBytes (i32.shl (local.get $k) (i32.const 2)))
    (local.set $aSize (i32.mul (local.get $m) (local.get $rowBytes)))
    (local.set $bSize (i32.mul (local.get $n) (local.get $rowBytes)))
    (local.set $op (local.get $out))
    (local.set $bi (i32.const 0))
    (block $bdone (loop $bloop
      (br_if $bdone (i32.ge_u (local.get $bi) (local.get $batch)))
      (local.set $abase (i32.add (local.get $a) (i32.mul (local.get $bi) (local.get $aSize))))
      (local.set $bbase (i32.add (local.get $b) (i32.mul (local.get $bi) (local.get $bSize))))
      (local.set $i (i32.const 0))
      (block $idone (loop $iloop
        (br_if $idone (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $j (i32.const 0))
        (block $jdone (loop $jloop
          (br_if $jdone (i32.ge_u (local.get $j) (local.get $n)))
          (local.set $c0 (v128.const i32x4 0 0 0 0))
          (local.set $c1 (v128.const i32x4 0 0 0 0))
          (local.set $c2 (v128.const i32x4 0 0 0 0))
          (local.set $c3 (v128.const i32x4 0 0 0 0))
          (local.set $ap (i32.add (local.get $abase) (i32.mul (local.get $i) (local.get $rowBytes))))
          (local.set $aend (i32.add (local.get $ap) (local.get $rowBytes)))
          (local.set $bp (i32.add (local.get $bbase) (i32.mul (local.get $j) (local.get $rowBytes))))
          (local.set $bp1 (i32.add (local.get $bp) (local.get $rowBytes)))
          (local.set $bp2 (i32.add (local.get $bp1) (local.get $rowBytes)))
          (local.set $bp3 (i32.add (local.get $bp2) (local.get $rowBytes)))
          (block $kdone (loop $kloop
            (br_if $kdone (i32.ge_u (local.get $ap) (local.get $aend)))
            (local.set $x (v128.load (local.get $ap)))
            (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (local.get $x) (v128.load (local.get $bp)))))
            (local.set $c1 (f32x4.add (local.get $c1) (f32x4.mul (local.get $x) (v128.load (local.get $bp1)))))
            (local.set $c2 (f32x4.add (local.get $c2) (f32x4.mul (local.get $x) (v128.load (local.get $bp2)))))
            (local.set $c3 (f32x4.add (local.get $c3) (f32x4.mul (local.get $x) (v128.load (local.get $bp3)))))
            (local.set $ap (i32.add (local.get $ap) (i32.const 16)))
            (local.set $bp (i32.add (local.get $bp) (i32.const 16)))
            (local.set $bp1 (i32.add (local.get $bp1) (i32.const 16)))
            (local.set $bp2 (i32.add (local.get $bp2) (i32.const 16)))
            (local.set $bp3 (i32.add (local.get $bp3) (i32.const 16)))
            (br $kloop)))
          (v128.store (local.get $op) (call $sum4 (local.get $c0) (local.get $c1) (local.get $c2) (local.get $c3)))
          (local.set $op (i32.add (local.get $op) (i32.const 16)))
          (local.set $j (i32.add (local.get $j) (i32.const 4)))
          (br $jloop)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $iloop)))
      (local.set $bi (i32.add (local.get $bi) (i32.const 1)))
      (br $bloop)))
  )
)
