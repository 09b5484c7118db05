# Courier: `make run` starts a broker on 127.0.0.1:8080, `make test` runs every test.
MVN       ?= mvn -B -ntp
JAR       := target/courier.jar
# Small heap and serial GC: the broker's working set is its queue, and one GC thread leaves the
# second core to the event loop. Override with `make run JAVA_OPTS=...`.
JAVA_OPTS ?= -Xms64m -Xmx1g -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError
JAVA      := java $(JAVA_OPTS)
SOURCES   := pom.xml $(shell find src/main -type f 2>/dev/null)
ARGS      ?=

.PHONY: build run test producer consumer clean

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

clean:
	$(MVN) -q clean
