-- wrk script for bench/bench.py: request the paths listed in a file (one per line, the script's
-- first argument) in turn, each thread starting at its own place; reports as report.lua does.
local here = debug.getinfo(1, "S").source:sub(2):match("^(.*/)") or "./"
dofile(here .. "report.lua")

local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("number", threads)
end

local paths, counter = {}, 0
init = function(args)
  for line in io.lines(args[1]) do
    paths[#paths + 1] = line
  end
  counter = (number or 1) * 997
end

request = function()
  counter = counter + 1
  return wrk.format("GET", paths[counter % #paths + 1])
end
