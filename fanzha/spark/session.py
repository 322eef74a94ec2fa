"""The in-process Spark session (local mode) a Spark build runs on, with every setting that changes a
result pinned, and nothing written into the working folder.

dbt-spark's `method: session` calls `SparkSession.builder.getOrCreate()`, so the session made here is
the one dbt's models run on; the rank simulation and the serving-file writer use it too.

Pinned because they change results (warehouse/README.md, "Portable SQL"):
  spark.sql.session.timeZone = UTC        landing timestamps are wall-clock times without a zone
                                          (DuckDB TIMESTAMP); in UTC Spark's zoned timestamps keep them as they are
  spark.sql.ansi.enabled = true           a cast that fails or an overflow is an error, as on DuckDB
                                          (fanzha.safe_cast is try_cast on both)
  partitionColumnTypeInference = false    export_district=130506 stays text
Kept out of the working folder: the warehouse directory and Spark's scratch space go under the build's work
folder; the catalog is in memory (no Derby metastore).
"""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path

from fanzha.core.errors import UserError

# SQL settings that change results: also the Spark target's server_side_parameters (profiles.yml) and
# what a cluster's Thrift Server must run with (warehouse/README.md).
RESULT_SETTINGS: dict[str, str] = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.ansi.enabled": "true",
    "spark.sql.sources.partitionColumnTypeInference.enabled": "false",
}


def _java_available() -> bool:
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").exists():
        return True
    from shutil import which

    return which("java") is not None


def spark_available() -> str | None:
    """None when a Spark build can run here, else why not (one line)."""
    from importlib.util import find_spec

    if find_spec("pyspark") is None or find_spec("dbt.adapters.spark") is None:
        return "the Spark extra is not installed: pip install -c constraints.txt -e '.[spark]'"
    if not _java_available():
        return "no Java runtime: install a JRE 17 (Debian: apt-get install openjdk-17-jre-headless)"
    return None


# Spark's own log: errors only, on stderr. The gateway's logger at ERROR too, or Spark announces "Setting default
# log level to WARN" on every start (it compares that logger's level with the root's).
LOG4J2 = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = stderr
logger.gateway.name = org.apache.spark.api.python.PythonGatewayServer
logger.gateway.level = error
appender.stderr.type = Console
appender.stderr.name = stderr
appender.stderr.target = SYSTEM_ERR
appender.stderr.layout.type = PatternLayout
appender.stderr.layout.pattern = spark %p %c{1}: %m%n%ex
"""


def shuffle_partitions_for(cores: str) -> int:
    """Two shuffle partitions per local core (Spark's default of 200 makes hundreds of empty tasks per join
    on a district's few thousand rows; adaptive execution coalesces from this number down)."""
    count = (os.cpu_count() or 1) if cores == "*" else int(cores)
    return max(2, 2 * count)


def start_session(work: Path, *, cores: str = "*", driver_memory: str = "3g", shuffle_partitions: int | None = None):
    """A local SparkSession whose files all live under `work` (created). Stop it with `stop_session`."""
    reason = spark_available()
    if reason:
        raise UserError(reason, exit_code=1)
    from pyspark.sql import SparkSession

    work.mkdir(parents=True, exist_ok=True)
    log_config = work / "log4j2.properties"
    log_config.write_text(LOG4J2, encoding="utf-8")
    # Python workers (the rank simulation's applyInPandas) run this interpreter, with its packages.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # never bind the machine's outside address
    # pyspark 4.3 warns that it is not yet tested with pandas 3; the simulation's pandas use is plain
    # (a frame in, a frame out), checked by the parity test.
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)
    builder = (
        SparkSession.builder.master(f"local[{cores}]")
        .appName("fanzha")
        .config("spark.driver.memory", driver_memory)
        .config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile={log_config.as_uri()}")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.warehouse.dir", str(work / "spark-warehouse"))
        .config("spark.local.dir", str(work / "spark-tmp"))
        .config("spark.sql.shuffle.partitions", str(shuffle_partitions or shuffle_partitions_for(cores)))
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        # The tables of a build live as long as the build: an in-memory catalog, no Hive metastore (no Derby
        # database, no metastore_db/ or derby.log in the working folder). dbt-spark's own builder asks for Hive
        # support, but getOrCreate() returns this session.
        .config("spark.sql.catalogImplementation", "in-memory")
    )
    for key, value in RESULT_SETTINGS.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def stop_session(session) -> None:
    """Stop the session and its JVM, so the next build in this process starts a fresh one."""
    from pyspark import SparkContext

    session.stop()
    gateway = SparkContext._gateway
    if gateway is not None:
        gateway.shutdown()
        SparkContext._gateway = None
        SparkContext._jvm = None
