-- wrk script: a school day's mix of people, for `make bench`.
--
-- Each request is made by one of the data set's people, picked at random: readers (staff who
-- read the policy, their posts and the published log, and sometimes send a new post) and
-- deciders (senior team who read the queue and waiting posts, and sometimes approve one). A
-- share of requests (the script's second argument: 0, 0.01, 0.05) are such writes, sent as the
-- browser would: a POST with the person's session cookie and CSRF token.
--
-- The people and their pages come from the first argument, a Lua file run.py writes from the
-- data set's manifest. Any answer but 200 (a page) or 302 (a write done, or refused because
-- the post was decided meanwhile) counts as an error. Only writes redirect here, so the count
-- of redirects beside the count of writes sent shows whether the writes went through (a form
-- that came back with errors answers 200); bench.queries also sends one of each beforehand.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  config = dofile(args[1])
  write_share = tonumber(args[2])
  not_ok = 0
  redirects = 0
  writes = 0
  reads = 0
  local seed = 0
  for i = 1, #tostring(wrk.thread) do
    seed = seed + string.byte(tostring(wrk.thread), i) * i
  end
  math.randomseed(os.time() + seed)
end

local function urlencode(value)
  return (tostring(value):gsub("[^%w%-%._~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

local function form(fields)
  local parts = {}
  for _, pair in ipairs(fields) do
    table.insert(parts, urlencode(pair[1]) .. "=" .. urlencode(pair[2]))
  end
  return table.concat(parts, "&")
end

local function uuid4()
  return string.format("%08x-%04x-4%03x-%04x-%06x%06x", math.random(0, 0x7fffffff),
    math.random(0, 0xffff), math.random(0, 0xfff), 0x8000 + math.random(0, 0x3fff),
    math.random(0, 0xffffff), math.random(0, 0xffffff))
end

local function post(person, path, fields)
  table.insert(fields, 1, {"csrfmiddlewaretoken", person.csrf})
  return wrk.format("POST", path, {
    ["Cookie"] = person.cookie,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, form(fields))
end

function request()
  local deciding = math.random() < #config.deciders / (#config.deciders + #config.readers)
  local people = deciding and config.deciders or config.readers
  local person = people[math.random(#people)]
  if math.random() < write_share then
    writes = writes + 1
    if deciding then
      local waiting = config.decide[math.random(#config.decide)]
      return post(person, "/posts/" .. waiting[1] .. "/decide/",
        {{"outcome", "approve"}, {"revision", waiting[2]}, {"comment", ""}})
    end
    local fields = {
      {"form_token", uuid4()},
      {"account", config.new_post.account},
      {"text", "Year 9 visited the science museum today and built a working rover."},
      {"purpose", "Shows families what the science department does."},
      {"link", ""}, {"planned_for", ""}, {"campaign", ""}, {"action", "submit"},
    }
    for _, check in ipairs(config.new_post.checks) do
      table.insert(fields, {check, "on"})
    end
    return post(person, "/posts/new/", fields)
  end
  reads = reads + 1
  return wrk.format("GET", person.paths[math.random(#person.paths)], {["Cookie"] = person.cookie})
end

function response(status, headers, body)
  if status == 302 then
    redirects = redirects + 1
  elseif status ~= 200 then
    not_ok = not_ok + 1
  end
end

function done(summary, latency, requests)
  local not_200, total_writes, total_reads, total_redirects = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    not_200 = not_200 + (thread:get("not_ok") or 0)
    total_writes = total_writes + (thread:get("writes") or 0)
    total_reads = total_reads + (thread:get("reads") or 0)
    total_redirects = total_redirects + (thread:get("redirects") or 0)
  end
  local socket_errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "errors": %d, "socket_errors": %d, ' ..
    '"not_200": %d, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, "mean_ms": %.2f, ' ..
    '"writes_sent": %d, "reads_sent": %d, "redirects": %d}\n',
    summary.requests, summary.duration, socket_errors + not_200, socket_errors, not_200,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.mean / 1000, total_writes, total_reads, total_redirects))
end
