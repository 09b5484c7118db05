# Courier: `make run` starts a broker on 127.0.0.1:8080, `make test` runs every test,
# `make bench` measures the broker, `make bench-micro` runs the JMH microbenchmarks.
MVN       ?= mvn -B -ntp
JAR       := target/courier.jar
# Serial GC: one GC thread leaves the second core to the event loop. A fixed 16 MiB young
# generation: most objects of a message die young, and a small eden keeps the resident set small
# (measured on bench S2: 190 MiB peak RSS with it, 228 MiB with the default sizing) while the 1 GiB
# cap leaves room for full topics (max_topic_bytes). Override with `make run JAVA_OPTS=...`. Kept in
# one file that the bench command also reads as the default JVM options of the brokers it starts.
JVM_OPTIONS_FILE := src/main/resources/dev/courier/bench/broker-jvm.options
JAVA_OPTS ?= $(shell cat $(JVM_OPTIONS_FILE))
JAVA      := java $(JAVA_OPTS)
SOURCES   := pom.xml $(shell find src/main -type f 2>/dev/null)
ARGS      ?=

.PHONY: build run test producer consumer bench bench-micro attack clean

build: $(JAR)

$(JAR): $(SOURCES)
	$(MVN) -q -DskipTests package

run: $(JAR)
	$(JAVA) -jar $(JAR) broker --config conf/broker.json $(ARGS)

test:
	$(MVN) verify

producer: $(JAR)
	$(JAVA) -jar $(JAR) producer $(ARGS)

consumer: $(JAR)
	$(JAVA) -jar $(JAR) consumer $(ARGS)

# Every named scenario, a fresh broker JVM (with JAVA_OPTS) per run;
# e.g. `make bench SCENARIO=S1,S4 ARGS="--repeat 3 --json bench.json"`.
SCENARIO  ?= all
bench: $(JAR)
	java -jar $(JAR) bench --scenario $(SCENARIO) --broker-jvm-opts "$(JAVA_OPTS)" $(ARGS)

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
