-- wrk script of benchmarks/http-load.sh: sends METHOD PATH with the session cookies of one family in
-- turn, one cookie line per request, each thread starting at its own place in the list.
-- wrk ... -s benchmarks/http-load.lua http://127.0.0.1:PORT -- PATH METHOD COOKIE-FILE
local next_thread = 0

function setup(thread)
  thread:set("thread_index", next_thread)
  next_thread = next_thread + 1
end

local cookies = {}
local counter = 0
local path = "/"
local method = "GET"

function init(args)
  path = args[1] or "/"
  method = args[2] or "GET"
  if args[3] and args[3] ~= "" then
    for line in io.lines(args[3]) do
      if line ~= "" then cookies[#cookies + 1] = line end
    end
  end
  -- Threads start half the list apart, so two threads rarely send the same session at once.
  counter = math.floor((thread_index or 0) * #cookies / 2)
end

function request()
  counter = counter + 1
  if #cookies == 0 then
    return wrk.format(method, path)
  end
  return wrk.format(method, path, { ["Cookie"] = cookies[(counter % #cookies) + 1] })
end
