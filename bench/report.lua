-- wrk script: counts any answer other than 200 as an error (wrk itself counts only 4xx/5xx, so a
-- redirect to the sign-in page would pass as a success), and prints one JSON line with the
-- numbers the benchmark needs (wrk's own summary has no p95).
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  not_ok = 0
end

function response(status, headers, body)
  if status ~= 200 then
    not_ok = not_ok + 1
  end
end

function done(summary, latency, requests)
  local not_200 = 0
  for _, thread in ipairs(threads) do
    not_200 = not_200 + (thread:get("not_ok") or 0)
  end
  local socket_errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "errors": %d, "socket_errors": %d, ' ..
    '"not_200": %d, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, "mean_ms": %.2f}\n',
    summary.requests, summary.duration, socket_errors + not_200, socket_errors, not_200,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.mean / 1000))
end
