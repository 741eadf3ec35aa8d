-- wrk reporter for bench/bench.py: one machine-readable line per run.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH requests=%d errors=%d status=%d seconds=%.3f p50=%.3f p95=%.3f\n",
    summary.requests, e.connect + e.read + e.write + e.timeout, e.status, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
