-- POSTs a full SIPAS answer per request, as phones at many counters would: every request has its own submission
-- key and its own User-Agent (another phone), the CSRF cookie and field from one GET of the form.
local counter = 0
local threads = 0
setup = function(thread)
  thread:set("tid", threads)
  threads = threads + 1
end
local path = os.getenv("SURVEY_PATH")
local cookie = os.getenv("SURVEY_COOKIE")
local csrf = os.getenv("SURVEY_CSRF")
-- A run id keeps keys unique across runs (the warm-up's keys would otherwise come back as resent forms).
local run = os.getenv("SURVEY_RUN") or tostring(os.time())
local base = "_field=dat_dai&q.kenh=truc_tiep&q.so_lan=1&q.tiep_can=5&q.thu_tuc=4&q.cong_chuc.thai_do=4&q.cong_chuc.huong_dan=5"
  .. "&q.cong_chuc.tuan_thu=3&q.dung_hen=yes&q.ket_qua=4&q.da_gop_y=no&q.mong_doi=nhanh&q.gop_y=T%E1%BB%91t&_csrf=" .. (csrf or "")
request = function()
  counter = counter + 1
  local key = run .. "-" .. tostring(tid) .. "-" .. tostring(counter)
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = cookie,
    ["User-Agent"] = "bench-phone-" .. key,
  }, base .. "&_key=" .. key)
end
statuses = {}
response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f rps=%.1f requests=%d errors=%d\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests / (summary.duration / 1e6), summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout))
end
