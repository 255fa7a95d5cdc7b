package fakedts

// DocumentedSample is the JSON sample success response of DescribeMigrationJobStatus from the API
// reference, with the same fields, values and order, indented.
const DocumentedSample = `
{
  "TaskId": "z2v12jfo309****",
  "DataInitializationStatus": {
    "Status": "Finished",
    "Progress": "200001",
    "Percent": "100"
  },
  "RequestId": "A032E3B4-929B-48E9-97B9-37587CBF****",
  "MigrationJobName": "MySQL Migration",
  "PayType": "PostPaid",
  "MigrationJobStatus": "Migrating",
  "Success": true,
  "MigrationMode": {
    "structureInitialization": true,
    "dataSynchronization": true,
    "dataInitialization": true
  },
  "MigrationJobId": "dtsz2v12jfo309****",
  "PrecheckStatus": {
    "Status": "Finished",
    "Percent": "100",
    "Detail": {
      "CheckItem": [
        {
          "CheckStatus": "Success",
          "ItemName": "CHECK_CONN_SRC"
        },
        {
          "CheckStatus": "Success",
          "ItemName": "CHECK_AUTH_SRC"
        },
        {
          "CheckStatus": "Success",
          "ItemName": "CHECK_CONN_DEST"
        },
        {
          "CheckStatus": "Success",
          "ItemName": "CHECK_AUTH_DEST"
        },
        {
          "CheckStatus": "Success",
          "ItemName": "CHECK_BINLOG_ON"
        },
        {
          "CheckStatus": "Success",
          "ItemName": "CHECK_BINLOG_MODE"
        },
        {
          "CheckStatus": "Success",
          "ItemName": "CHECK_BINLOG_ROW_IMAGE"
        },
        {
          "CheckStatus": "Success",
          "ItemName": "CHECK_SERVER_ID"
        },
        {
          "CheckStatus": "Success",
          "ItemName": "CHECK_BINLOG_EXIST"
        },
        {
          "CheckStatus": "Success",
          "ItemName": "CHECK_ENGINE"
        },
        {
          "CheckStatus": "Success",
          "ItemName": "CHECK_MYSQL_PASSOWRD_FORMAT"
        },
        {
          "CheckStatus": "Success",
          "ItemName": "CHECK_SRC"
        },
        {
          "CheckStatus": "Success",
          "ItemName": "CHECK_SQL_MODE"
        },
        {
          "CheckStatus": "Success",
          "ItemName": "CHECK_SAME_USER"
        }
      ]
    }
  },
  "DestinationEndpoint": {
    "UserName": "dtstest",
    "InstanceId": "rm-bp1zc3iyqe3qw****",
    "InstanceType": "RDS",
    "EngineName": "MySQL"
  },
  "MigrationJobClass": "2xlarge",
  "SourceEndpoint": {
    "UserName": "dtstest",
    "InstanceId": "rm-bp1i99e8l7913****",
    "InstanceType": "RDS",
    "EngineName": "MySQL"
  },
  "DataSynchronizationStatus": {
    "Status": "Catched",
    "Checkpoint": "1612507847",
    "Percent": "95",
    "Delay": "0"
  },
  "StructureInitializationStatus": {
    "Status": "Finished",
    "Progress": "1",
    "Percent": "100"
  }
}
`
