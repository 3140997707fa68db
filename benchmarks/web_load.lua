-- wrk script for benchmarks/web_load.py: browser-like requests with cookies and CSRF tokens.
--
-- wrk -s web_load.lua URL -- page PATH [PREFIX [COOKIE]]
--     GETs PATH again and again, sending back the cookies the site set (csrftoken) and the
--     visitor-zone cookie that the site's script sets in a real browser, plus COOKIE (a signed-in
--     participant's session, say). Counts 200s.
-- wrk -s web_load.lua URL -- form FORM_PATH POST_PATH BODY PREFIX
--     A sign-up: GET the form (cookie and token, as a browser does), then POST BODY to
--     POST_PATH with the token; "{email}" in BODY becomes an address unique in the run.
--     Counts 302s (a completed sign-up redirects) as done; every other POST answer is a failure.

local mode, path, post_path, body_template, prefix
local base_cookie = "visitor_tz=Asia/Jakarta"
local cookie = base_cookie
local token = nil
local next_is_post = false
local sent = 0
ok = 0
bad = 0
gets = 0

local common = {
  ["Accept"] = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
  ["Accept-Language"] = "en-GB,en;q=0.9",
  ["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) wrk benchmark",
  -- The deployed app sits behind a TLS-terminating proxy that says the request was HTTPS.
  ["X-Forwarded-Proto"] = "https",
}

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("thread_id", counter)
  table.insert(threads, thread)
end

function init(args)
  mode = args[1]
  path = args[2]
  post_path = args[3]
  body_template = args[4]
  prefix = args[5] or "run"
  if mode == "page" then
    prefix = args[3] or "run"
    if args[4] ~= nil and args[4] ~= "" then
      base_cookie = base_cookie .. "; " .. args[4]
      cookie = base_cookie
    end
  end
end

local function headers()
  local h = {}
  for k, v in pairs(common) do h[k] = v end
  h["Cookie"] = cookie
  return h
end

function request()
  if mode == "page" then
    return wrk.format("GET", path, headers())
  end
  if token ~= nil and next_is_post then
    next_is_post = false
    sent = sent + 1
    local email = prefix .. "-" .. thread_id .. "-" .. sent .. "%40example.org"
    local h = headers()
    h["Content-Type"] = "application/x-www-form-urlencoded"
    h["Origin"] = "https://" .. wrk.headers["Host"]
    h["Referer"] = "https://" .. wrk.headers["Host"] .. path
    -- Function replacements: "%40" in the address is not a capture reference.
    local body = body_template:gsub("{token}", function() return token end)
    body = body:gsub("{email}", function() return email end)
    return wrk.format("POST", post_path, h, body)
  end
  next_is_post = true
  return wrk.format("GET", path, headers())
end

function response(status, hdrs, body)
  local set_cookie = hdrs["Set-Cookie"]
  if set_cookie ~= nil then
    local value = set_cookie:match("csrftoken=([^;]+)")
    if value ~= nil then
      cookie = base_cookie .. "; csrftoken=" .. value
    end
  end
  if mode == "page" then
    if status == 200 then ok = ok + 1 else bad = bad + 1 end
    return
  end
  if status == 302 then
    ok = ok + 1
  elseif status == 200 and body ~= nil then
    -- A 200 is the form page, or a POST that came back with errors (a failure).
    local found = body:match('name="csrfmiddlewaretoken" value="([^"]+)"')
    if found ~= nil and body:match("is%-invalid") == nil and body:match("alert%-danger") == nil then
      token = found
      gets = gets + 1
    else
      bad = bad + 1
    end
  else
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local done_, failed, form_gets = 0, 0, 0
  for _, thread in ipairs(threads) do
    done_ = done_ + thread:get("ok")
    failed = failed + thread:get("bad")
    form_gets = form_gets + thread:get("gets")
  end
  local errors = summary.errors
  io.write(string.format(
    "RESULT done=%d failed=%d form_gets=%d requests=%d seconds=%.3f p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f socket_errors=%d status_errors=%d\n",
    done_, failed, form_gets, summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    errors.connect + errors.read + errors.write + errors.timeout, errors.status))
end
