# Courier: `make run` starts a broker on 127.0.0.1:8080, `make test` runs every test,
# `make bench` measures the broker, `make bench-micro` runs the JMH microbenchmarks.
MVN       ?= mvn -B -ntp
JAR       := target/courier.jar
# The broker's JVM options live in one file that the bench and bin/courier read too; docs/BENCH.md
# says why each is there and what it saved (Native Memory Tracking, bench S2 peak RSS 131-163 ->
# 93-97 MiB): the serial GC (one GC thread, no G1 remembered sets), a small fixed young generation
# and a heap that shrinks back after a full GC, C1 only with one compiler thread (no C2 arenas or
# profiled code), and a
# 1 GiB cap that leaves room for full topics. MALLOC_ARENA_MAX caps glibc's per-thread malloc
# arenas. Override with `make run JAVA_OPTS=...`.
JVM_OPTIONS_FILE := src/main/resources/dev/courier/bench/broker-jvm.options
JAVA_OPTS ?= $(shell cat $(JVM_OPTIONS_FILE))
MALLOC_ARENA_MAX ?= 2
export MALLOC_ARENA_MAX
JAVA      := java $(JAVA_OPTS)
# The AppCDS archive of an idle broker's classes (docs/FOOTPRINT.md, "Idle broker": 3.2 MiB less
# idle RSS), written by a broker started and stopped on free ports; bin/courier and `make run`
# map it when it is newer than the jar. A broker that cannot start leaves none and fails nothing.
CDS_ARCHIVE := target/courier.jsa
SOURCES   := pom.xml $(shell find src/main -type f 2>/dev/null)
ARGS      ?=

.PHONY: build run test fuzz producer consumer bench bench-latency bench-micro attack clean bench-footprint

build: $(JAR) $(CDS_ARCHIVE)

$(JAR): $(SOURCES)
	$(MVN) -q -DskipTests package

$(CDS_ARCHIVE): $(JAR)
	sh tools/cds-archive.sh $(JAR) $@

run: $(JAR) $(CDS_ARCHIVE)
	$(JAVA) $(if $(wildcard $(CDS_ARCHIVE)),-XX:SharedArchiveFile=$(CDS_ARCHIVE) -Xlog:cds*=off) -jar $(JAR) broker --config conf/broker.json $(ARGS)

test:
	$(MVN) verify

# The fuzz properties (every *FuzzTest) with FUZZ_TRIES tries each instead of their few hundred to
# few thousand: a few minutes. Each failure prints its seed and the command that replays it; the
# INFO log level prints one line per property with its tries and time.
FUZZ_TRIES ?= 100000
fuzz:
	$(MVN) test -Dtest='*FuzzTest,*PropertyTest' -Dsurefire.failIfNoSpecifiedTests=false -Dfuzz.tries=$(FUZZ_TRIES) \
	  -Dcourier.test.log=INFO

producer: $(JAR)
	$(JAVA) -jar $(JAR) producer $(ARGS)

consumer: $(JAR)
	$(JAVA) -jar $(JAR) consumer $(ARGS)

# Every named scenario (S1-S4, then the fixed-rate L1-L3), a fresh broker JVM (with JAVA_OPTS) per run;
# e.g. `make bench SCENARIO=S1,S4 ARGS="--repeat 3 --json bench.json"`.
SCENARIO  ?= all
bench: $(JAR)
	java -jar $(JAR) bench --scenario $(SCENARIO) --broker-jvm-opts "$(JAVA_OPTS)" $(ARGS)

# The fixed-rate scenarios (docs/BENCH.md) in both storage modes: S2 measures the capacity that
# L1-L3 offer 25, 50 and 75 % of; latency counts from each message's intended send time.
bench-latency: $(JAR)
	java -jar $(JAR) bench --scenario S2,L1,L2,L3 --broker-jvm-opts "$(JAVA_OPTS)" --broker-set storage=memory $(ARGS)
	java -jar $(JAR) bench --scenario S2,L1,L2,L3 --broker-jvm-opts "$(JAVA_OPTS)" $(ARGS)

# docs/FOOTPRINT.md's before/after table (about 25 minutes): S1-S4, L1-L3 and 20,000 msg/s in
# both storage modes, idle RSS and Native Memory Tracking, BEFORE's jar against this build's.
# e.g. `make bench-footprint BEFORE=/path/to/old/courier.jar`; figures land in target/footprint.
BEFORE    ?=
bench-footprint: $(JAR)
	tools/footprint.sh $(BEFORE) $(JAR) target/footprint

# JMH benchmarks in src/jmh/java, compiled only with the `jmh` profile; short settings, so the
# figures are indicative. Pick benchmarks with e.g. JMH_ARGS="-f 1 -wi 5 -i 5 Codec".
JMH_ARGS ?= -f 1 -wi 2 -i 3 -w 1s -r 1s
bench-micro:
	$(MVN) -q -Pjmh -DskipTests test-compile dependency:build-classpath \
	  -Dmdep.includeScope=test -Dmdep.outputFile=target/jmh.classpath
	java -cp target/test-classes:target/classes:$$(cat target/jmh.classpath) org.openjdk.jmh.Main $(JMH_ARGS)

# The hostile and broken clients of issue 8 against fresh fat-jar brokers; prints what each does.
# Needs python3; `make attack ARGS="frames order"` runs some (`python3 tools/attack.py --list`).
attack: $(JAR)
	python3 tools/attack.py $(ARGS)

clean:
	$(MVN) -q clean
