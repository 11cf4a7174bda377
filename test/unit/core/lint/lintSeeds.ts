// The seed's own config files (../shared/seed/postgresql-configuration.md), verbatim, for the lint tests.

// pg_hba.conf ("Client Authentication Configuration").
export const SEED_HBA = `# TYPE  DATABASE        USER            ADDRESS                 METHOD
local   all             postgres                                peer
local   all             all                                     peer
host    all             all             127.0.0.1/32            scram-sha-256
host    all             all             ::1/128                 scram-sha-256
host    all             all             153.246.150.162/32      scram-sha-256
host    all             all             153.127.41.18/32        scram-sha-256
host    all             all             133.32.134.250/32       scram-sha-256
`;

// pgbouncer.ini ("Connection Pooling").
export const SEED_PGBOUNCER = `[databases]
* = host=localhost port=5432

[pgbouncer]
listen_addr = *
listen_port = 6432
auth_type = md5
auth_file = /etc/pgbouncer/userlist.txt
pool_mode = transaction
max_client_conn = 1000
default_pool_size = 20
reserve_pool_size = 10
reserve_pool_timeout = 5.0
max_db_connections = 50
max_user_connections = 50
`;

// postgresql.conf ("PostgreSQL Configuration File").
export const SEED_POSTGRESQL_CONF = `# Memory Configuration
shared_buffers = 1GB                  # 25% of system memory for dedicated PostgreSQL memory
work_mem = 32MB                       # Memory for query operations
maintenance_work_mem = 256MB          # Memory for maintenance operations
effective_cache_size = 3GB            # Estimate of system memory available for disk caching

# Connection Settings
max_connections = 100                 # Maximum number of concurrent connections
listen_addresses = '*'                # Listen on all available network interfaces

# Write-Ahead Log (WAL) Settings
wal_level = replica                   # Minimum level for replication
max_wal_size = 1GB                    # Maximum WAL size before checkpoint
min_wal_size = 80MB                   # Minimum WAL size to maintain

# Query Tuning
random_page_cost = 1.1                # Cost estimate for random page access (lower for SSD)
effective_io_concurrency = 200        # Number of concurrent disk I/O operations (higher for SSD)

# Autovacuum Settings
autovacuum = on                       # Enable autovacuum
autovacuum_vacuum_scale_factor = 0.1  # Fraction of table size before vacuum
autovacuum_analyze_scale_factor = 0.05 # Fraction of table size before analyze

# Logging
log_destination = 'stderr'            # Log output destination
logging_collector = on                # Enable capturing of stderr into log files
log_directory = 'log'                 # Directory for log files
log_filename = 'postgresql-%Y-%m-%d_%H%M%S.log' # Log file name pattern
log_min_duration_statement = 1000     # Log statements running longer than this (ms)
log_connections = on                  # Log all connections
log_disconnections = on               # Log all disconnections
log_line_prefix = '%m [%p] %q%u@%d '  # Prefix format for log lines
`;
