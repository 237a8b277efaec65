;; Batched matrix product for TF.js's wasm backend, with 128-bit SIMD.
;; out[b] = A[b] (M x K) times B[b] (K x N), row-major float32, all in the
;; backend's own memory (imported), so no copies. N must be a multiple of 16:
;; each step keeps a 1 x 16 strip of the output in four f32x4 registers and
;; walks k, broadcasting A[i,k] against four vectors of B's row k.
;; TF.js's own wasm BatchMatMul is a scalar loop (~2.6 GFLOP/s here).
(module
  (import "env" "memory" (memory 1))
  (func (export "bmm")
    (param $a i32) (param $b i32) (param $out i32)
    (param $batch i32) (param $m i32) (param $k i32) (param $n i32)
    (local $bi i32) (local $i i32) (local $j i32) (local $kk i32)
    (local $arow i32) (local $bcol i32) (local $ap i32) (local $bp i32) (local $op i32)
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
        ;; arow = a + (bi*M*K + i*K) * 4
        (local.set $arow (i32.add (i32.add (local.get $a) (i32.mul (local.get $bi) (local.get $aSize)))
                                  (i32.shl (i32.mul (local.get $i) (local.get $k)) (i32.const 2))))
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
            (local.set $ap (i32.add (local.get $ap) (i32.const 4)))
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
)
