;; GELU and the causal softmax for TF.js's wasm backend, with 128-bit SIMD,
;; on the backend's own memory (imported). Written because a JavaScript loop
;; with an exp per value lost to TF.js's op composition there (kernels/gelu.ts),
;; while these do four values per instruction. Float32 throughout:
;;   exp: Cephes' expf (range reduction by ln 2 in two parts, a degree-5
;;     polynomial, 2^n built in the exponent bits), ~1 ulp; arguments are
;;     clamped to [-87.3, 88], so the result stays a normal float;
;;   erf: Abramowitz-Stegun 7.1.26, |error| < 1.5e-7, as kernels/gelu.ts.
;; Lengths: gelu and geluGrad take n a multiple of 4, the softmaxes rows of
;; width S a multiple of 4 (the caller checks).
(module
  (import "env" "memory" (memory 1))

  (func $exp (param $x v128) (result v128)
    (local $n v128) (local $r v128) (local $p v128)
    (local.set $x (f32x4.min (f32x4.max (local.get $x) (f32x4.splat (f32.const -87.3))) (f32x4.splat (f32.const 88.0))))
    (local.set $n (f32x4.nearest (f32x4.mul (local.get $x) (f32x4.splat (f32.const 1.44269504088896341)))))
    (local.set $r (f32x4.sub (f32x4.sub (local.get $x) (f32x4.mul (local.get $n) (f32x4.splat (f32.const 0.693359375))))
                             (f32x4.mul (local.get $n) (f32x4.splat (f32.const -2.12194440e-4)))))
    (local.set $p (f32x4.splat (f32.const 1.9875691500e-4)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 1.3981999507e-3))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 8.3334519073e-3))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 4.1665795894e-2))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 1.6666665459e-1))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 5.0000001201e-1))))
    ;; p * r^2 + r + 1
    (local.set $p (f32x4.add (f32x4.add (f32x4.mul (local.get $p) (f32x4.mul (local.get $r) (local.get $r))) (local.get $r))
                             (f32x4.splat (f32.const 1))))
    (f32x4.mul (local.get $p)
      (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $n)) (i32x4.splat (i32.const 127))) (i32.const 23))))

  ;; 0.5 * (1 + erf(x / sqrt 2)), the normal CDF, given e = exp(-x^2 / 2) (the gradient needs e too).
  (func $cdf (param $x v128) (param $e v128) (result v128)
    (local $t v128) (local $p v128) (local $erf v128)
    (local.set $t (f32x4.div (f32x4.splat (f32.const 1))
      (f32x4.add (f32x4.splat (f32.const 1))
                 (f32x4.mul (f32x4.abs (f32x4.mul (local.get $x) (f32x4.splat (f32.const 0.70710678118654752))))
                            (f32x4.splat (f32.const 0.3275911))))))
    (local.set $p (f32x4.splat (f32.const 1.061405429)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $t)) (f32x4.splat (f32.const -1.453152027))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $t)) (f32x4.splat (f32.const 1.421413741))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $t)) (f32x4.splat (f32.const -0.284496736))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $t)) (f32x4.splat (f32.const 0.254829592))))
    ;; |erf| = 1 - t p e, with the sign of x
    (local.set $erf (f32x4.sub (f32x4.splat (f32.const 1)) (f32x4.mul (f32x4.mul (local.get $t) (local.get $p)) (local.get $e))))
    (local.set $erf (v128.bitselect (local.get $x) (local.get $erf) (i32x4.splat (i32.const 0x80000000))))
    (f32x4.mul (f32x4.add (f32x4.splat (f32.const 1)) (local.get $erf)) (f32x4.splat (f32.const 0.5))))

  (func $halfSquareExp (param $x v128) (result v128)
    (call $exp (f32x4.mul (f32x4.mul (local.get $x) (local.get $x)) (f32x4.splat (f32.const -0.5)))))

  ;; out[i] = x[i] * Phi(x[i])
  (func (export "gelu") (param $x i32) (param $out i32) (param $n i32)
    (local $end i32) (local $v v128)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
      (local.set $v (v128.load (local.get $x)))
      (v128.store (local.get $out) (f32x4.mul (local.get $v) (call $cdf (local.get $v) (call $halfSquareExp (local.get $v)))))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (local.set $out (i32.add (local.get $out) (i32.const 16)))
      (br $next))))

  ;; out[i] = dy[i] * (Phi(x[i]) + x[i] * phi(x[i])), phi(x) = exp(-x^2/2) / sqrt(2 pi)
  (func (export "geluGrad") (param $dy i32) (param $x i32) (param $out i32) (param $n i32)
    (local $end i32) (local $v v128) (local $e v128)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
      (local.set $v (v128.load (local.get $x)))
      (local.set $e (call $halfSquareExp (local.get $v)))
      (v128.store (local.get $out)
        (f32x4.mul (v128.load (local.get $dy))
          (f32x4.add (call $cdf (local.get $v) (local.get $e))
                     (f32x4.mul (f32x4.mul (local.get $v) (local.get $e)) (f32x4.splat (f32.const 0.3989422804014327))))))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (local.set $dy (i32.add (local.get $dy) (i32.const 16)))
      (local.set $out (i32.add (local.get $out) (i32.const 16)))
      (br $next))))

  (func $laneMax (param $v v128) (result f32)
    (f32.max (f32.max (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
             (f32.max (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))

  (func $laneSum (param $v v128) (result f32)
    (f32.add (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
             (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))

  ;; Lanes j..j+3 that are keys row r may see (j + lane < n), as a mask.
  (func $visible (param $j i32) (param $n i32) (result v128)
    (i32x4.lt_s (i32x4.add (i32x4.splat (local.get $j)) (v128.const i32x4 0 1 2 3)) (i32x4.splat (local.get $n))))

  ;; Rows of width S (rows = B*nh*T): out = softmax(scale * x) over keys j < n = min(S, past + r mod T + 1), 0 after.
  (func (export "causalSoftmax") (param $x i32) (param $out i32) (param $rows i32) (param $T i32) (param $S i32) (param $past i32) (param $scale f32)
    (local $r i32) (local $j i32) (local $k i32) (local $n i32) (local $xp i32) (local $op i32)
    (local $s v128) (local $m v128) (local $sum v128) (local $e v128)
    (local.set $s (f32x4.splat (local.get $scale)))
    (block $rdone (loop $rloop
      (br_if $rdone (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $n (i32.add (i32.add (local.get $past) (i32.rem_u (local.get $r) (local.get $T))) (i32.const 1)))
      (if (i32.gt_s (local.get $n) (local.get $S)) (then (local.set $n (local.get $S))))
      (local.set $xp (i32.add (local.get $x) (i32.shl (i32.mul (local.get $r) (local.get $S)) (i32.const 2))))
      (local.set $op (i32.add (local.get $out) (i32.shl (i32.mul (local.get $r) (local.get $S)) (i32.const 2))))
      ;; the row's largest visible scaled score
      (local.set $m (f32x4.splat (f32.const -inf)))
      (local.set $j (i32.const 0))
      (block $mdone (loop $mloop
        (br_if $mdone (i32.ge_s (local.get $j) (local.get $n)))
        (local.set $m (f32x4.max (local.get $m)
          (v128.bitselect (f32x4.mul (v128.load (i32.add (local.get $xp) (i32.shl (local.get $j) (i32.const 2)))) (local.get $s))
                          (f32x4.splat (f32.const -inf)) (call $visible (local.get $j) (local.get $n)))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $mloop)))
      (local.set $m (f32x4.splat (call $laneMax (local.get $m))))
      ;; exponentials of the visible keys' chunks (0 where hidden) and their sum
      (local.set $sum (v128.const i32x4 0 0 0 0))
      (local.set $j (i32.const 0))
      (block $edone (loop $eloop
        (br_if $edone (i32.ge_s (local.get $j) (local.get $n)))
        (local.set $e (v128.and (call $visible (local.get $j) (local.get $n))
          (call $exp (f32x4.sub (f32x4.mul (v128.load (i32.add (local.get $xp) (i32.shl (local.get $j) (i32.const 2)))) (local.get $s))
                                (local.get $m)))))
        (v128.store (i32.add (local.get $op) (i32.shl (local.get $j) (i32.const 2))) (local.get $e))
        (local.set $sum (f32x4.add (local.get $sum) (local.get $e)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $eloop)))
      ;; then zeros to the end of the row; the visible chunks divided by the sum
      (local.set $k (local.get $j))
      (block $zdone (loop $zloop
        (br_if $zdone (i32.ge_s (local.get $k) (local.get $S)))
        (v128.store (i32.add (local.get $op) (i32.shl (local.get $k) (i32.const 2))) (v128.const i32x4 0 0 0 0))
        (local.set $k (i32.add (local.get $k) (i32.const 4)))
        (br $zloop)))
      (local.set $sum (f32x4.splat (call $laneSum (local.get $sum))))
      (local.set $j (i32.const 0))
      (block $ddone (loop $dloop
        (br_if $ddone (i32.ge_s (local.get $j) (local.get $n)))
        (v128.store (i32.add (local.get $op) (i32.shl (local.get $j) (i32.const 2)))
          (f32x4.div (v128.load (i32.add (local.get $op) (i32.shl (local.get $j) (i32.const 2)))) (local.get $sum)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $dloop)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rloop))))

  ;; dx = scale * y * (dy - sum_j dy_j y_j), row by row (hidden keys have y = 0, so dx = 0 there).
  (func (export "causalSoftmaxGrad") (param $dy i32) (param $y i32) (param $out i32) (param $rows i32) (param $S i32) (param $scale f32)
    (local $r i32) (local $j i32) (local $o i32) (local $dot v128) (local $s v128)
    (local.set $s (f32x4.splat (local.get $scale)))
    (block $rdone (loop $rloop
      (br_if $rdone (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $dot (v128.const i32x4 0 0 0 0))
      (local.set $j (i32.const 0))
      (block $sdone (loop $sloop
        (br_if $sdone (i32.ge_s (local.get $j) (local.get $S)))
        (local.set $o (i32.shl (i32.add (i32.mul (local.get $r) (local.get $S)) (local.get $j)) (i32.const 2)))
        (local.set $dot (f32x4.add (local.get $dot)
          (f32x4.mul (v128.load (i32.add (local.get $dy) (local.get $o))) (v128.load (i32.add (local.get $y) (local.get $o))))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $sloop)))
      (local.set $dot (f32x4.splat (call $laneSum (local.get $dot))))
      (local.set $j (i32.const 0))
      (block $gdone (loop $gloop
        (br_if $gdone (i32.ge_s (local.get $j) (local.get $S)))
        (local.set $o (i32.shl (i32.add (i32.mul (local.get $r) (local.get $S)) (local.get $j)) (i32.const 2)))
        (v128.store (i32.add (local.get $out) (local.get $o))
          (f32x4.mul (f32x4.mul (local.get $s) (v128.load (i32.add (local.get $y) (local.get $o))))
                     (f32x4.sub (v128.load (i32.add (local.get $dy) (local.get $o))) (local.get $dot))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $gloop)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rloop))))
)
