package fakedts

import "encoding/json"

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

// DocumentedDtsJobsSample is the sample DescribeDtsJobs response of the API fact sheet (request
// JobType=MIGRATION, Region and RegionId cn-hangzhou, PageSize 30, PageNumber 1): two migration
// jobs, one in incremental migration 3 s behind, one failed at precheck.
const DocumentedDtsJobsSample = `
{
  "RequestId": "621BB4F8-3016-4FAA-8D5A-5D3163CC****",
  "Success": true,
  "HttpStatusCode": 200,
  "PageNumber": 1,
  "PageRecordCount": 2,
  "TotalRecordCount": 2,
  "DtsJobList": [
    {
      "DtsJobId": "i03e3zty16i****",
      "DtsInstanceID": "dtsi03e3zty16i****",
      "DtsJobName": "rds_mysql_orders_migration",
      "JobType": "MIGRATION",
      "Status": "Migrating",
      "DtsJobClass": "large",
      "DtsJobDirection": "Forward",
      "PayType": "PostPaid",
      "CreateTime": "2021-03-16T08:01:19Z",
      "Delay": 3,
      "Checkpoint": "1616899019",
      "ErrorMessage": "",
      "ErrorDetails": [],
      "OriginType": "DTS",
      "DtsBisLabel": "normal",
      "ResourceGroupId": "rg-acfmzawhxxc****",
      "ResourceGroupDisplayName": "default resource group",
      "CpuUsage": "1",
      "MemUsage": "500",
      "DbObject": "{\"dtstestdata\":{\"name\":\"dtstestdata\",\"all\":true}}",
      "Reserved": "{\"maxRetryTime\":43200,\"srcSSL\":\"0\",\"destSSL\":\"0\"}",
      "MigrationMode": {
        "StructureInitialization": true,
        "DataInitialization": true,
        "DataSynchronization": true,
        "FullDataCheck": true,
        "IncDataCheck": false,
        "StructureDataCheck": false
      },
      "PrecheckStatus": {
        "Status": "Finished",
        "Percent": "100",
        "ErrorMessage": "",
        "Detail": [
          {
            "CheckItem": "CHECK_CONN_SRC",
            "CheckItemDescription": "CHECK_CONN_SRC_DETAIL",
            "CheckResult": "Success"
          },
          {
            "CheckItem": "CHECK_AUTH_DEST",
            "CheckItemDescription": "CHECK_AUTH_DEST_DETAIL",
            "CheckResult": "Success"
          }
        ]
      },
      "StructureInitializationStatus": {
        "Status": "Finished",
        "Percent": "100",
        "Progress": "12",
        "ErrorMessage": ""
      },
      "DataInitializationStatus": {
        "Status": "Finished",
        "Percent": "100",
        "Progress": "44755",
        "ErrorMessage": ""
      },
      "DataSynchronizationStatus": {
        "Status": "Migrating",
        "Percent": "95",
        "Progress": "0/0",
        "NeedUpgrade": false,
        "ErrorMessage": ""
      },
      "FullDataCheckStatus": {
        "Status": "Finished",
        "Percent": "100",
        "Progress": "1 rows/s (row: 5/5, table: 1/1)",
        "CanSwitch": true,
        "ErrorMessage": ""
      },
      "IncDataCheckStatus": {
        "Status": "NotStarted",
        "Percent": "0",
        "Progress": "",
        "ErrorMessage": ""
      },
      "RetryState": {
        "Retrying": false,
        "RetryCount": 0,
        "MaxRetryTime": 43200,
        "RetryTime": 0,
        "RetryTarget": "",
        "Module": "",
        "ErrMessage": "",
        "JobId": "i03e3zty16i****"
      },
      "Performance": {
        "Flow": "0.02",
        "Rps": "12"
      },
      "SourceEndpoint": {
        "InstanceType": "RDS",
        "InstanceID": "rm-bp1162kryivb8****",
        "EngineName": "MySQL",
        "Region": "cn-hangzhou",
        "Ip": "172.16.88.***",
        "Port": "3306",
        "DatabaseName": "dtstestdata",
        "UserName": "dtstest",
        "SslSolutionEnum": "DISABLE"
      },
      "DestinationEndpoint": {
        "InstanceType": "RDS",
        "InstanceID": "rm-bp1imrtn6fq7h****",
        "EngineName": "MySQL",
        "Region": "cn-hangzhou",
        "Ip": "172.16.89.***",
        "Port": "3306",
        "DatabaseName": "dtstestdata",
        "UserName": "dtstest",
        "SslSolutionEnum": "DISABLE"
      },
      "TagList": [
        {
          "TagKey": "env",
          "TagValue": "prod"
        }
      ]
    },
    {
      "DtsJobId": "l5512es7w15****",
      "DtsInstanceID": "dtsl5512es7w15****",
      "DtsJobName": "ecs_mysql_to_rds",
      "JobType": "MIGRATION",
      "Status": "PrecheckFailed",
      "DtsJobClass": "medium",
      "DtsJobDirection": "Forward",
      "PayType": "PostPaid",
      "CreateTime": "2021-03-25T02:14:07Z",
      "Delay": 0,
      "ErrorMessage": "",
      "ErrorDetails": [],
      "OriginType": "DTS",
      "MigrationMode": {
        "StructureInitialization": true,
        "DataInitialization": true,
        "DataSynchronization": false,
        "FullDataCheck": false,
        "IncDataCheck": false,
        "StructureDataCheck": false
      },
      "PrecheckStatus": {
        "Status": "Failed",
        "Percent": "100",
        "ErrorMessage": "",
        "Detail": [
          {
            "CheckItem": "CHECK_CONN_DEST",
            "CheckItemDescription": "CHECK_CONN_DEST_DETAIL",
            "CheckResult": "Failed",
            "FailedReason": "Original error: Access denied for user 'dtstest'@'100.104.***.**' (using password: YES)",
            "RepairMethod": "CHECK_ERROR_DEST_CONN_REPAIR2"
          }
        ]
      },
      "StructureInitializationStatus": {
        "Status": "NotStarted",
        "Percent": "0",
        "Progress": "0"
      },
      "DataInitializationStatus": {
        "Status": "NotStarted",
        "Percent": "0",
        "Progress": "0"
      },
      "DataSynchronizationStatus": {
        "Status": "NotStarted",
        "Percent": "0",
        "Progress": "0/0",
        "NeedUpgrade": false
      },
      "RetryState": {
        "Retrying": false,
        "RetryCount": 0,
        "MaxRetryTime": 43200,
        "RetryTime": 0
      },
      "SourceEndpoint": {
        "InstanceType": "ECS",
        "InstanceID": "i-bp1bq0iu5vhw6****",
        "EngineName": "MySQL",
        "Region": "cn-hangzhou",
        "Ip": "172.16.20.***",
        "Port": "3306",
        "DatabaseName": "shop",
        "UserName": "dtstest",
        "SslSolutionEnum": "DISABLE"
      },
      "DestinationEndpoint": {
        "InstanceType": "RDS",
        "InstanceID": "rm-bp1zc3iyqe3qw****",
        "EngineName": "MySQL",
        "Region": "cn-hangzhou",
        "Ip": "172.16.88.***",
        "Port": "3306",
        "DatabaseName": "shop",
        "UserName": "dtstest",
        "SslSolutionEnum": "DISABLE"
      },
      "TagList": []
    }
  ]
}
`

// DocumentedMigrationJobsSample is the sample DescribeMigrationJobs response of the API fact sheet
// (RegionId cn-hangzhou, PageSize 30, PageNum 1): two legacy jobs, one caught up, one failed at precheck.
const DocumentedMigrationJobsSample = `
{
  "RequestId": "0ED4846D-ED60-435D-88C0-7EC0CE4D****",
  "Success": "true",
  "PageNumber": 1,
  "PageRecordCount": 2,
  "TotalRecordCount": 2,
  "MigrationJobs": {
    "MigrationJob": [
      {
        "MigrationJobID": "dtson2z28evm33****",
        "MigrationJobName": "MySQL Migration",
        "MigrationJobStatus": "Migrating",
        "MigrationJobClass": "medium",
        "PayType": "PostPaid",
        "InstanceCreateTime": "2021-06-22T08:50:02Z",
        "JobCreateTime": "2021-06-22T08:53:55Z",
        "MigrationMode": {
          "StructureInitialization": true,
          "DataInitialization": true,
          "DataSynchronization": true
        },
        "Precheck": {
          "Status": "Success",
          "Percent": "100"
        },
        "StructureInitialization": {
          "status": "Finished",
          "Percent": "100",
          "Progress": "2",
          "ErrorMessage": ""
        },
        "DataInitialization": {
          "status": "Finished",
          "Percent": "100",
          "Progress": "200001",
          "ErrorMessage": ""
        },
        "DataSynchronization": {
          "status": "Catched",
          "Percent": "95",
          "Delay": "0",
          "ErrorMessage": ""
        },
        "SourceEndpoint": {
          "InstanceType": "RDS",
          "InstanceID": "rm-bp1i99e8l7913****",
          "EngineName": "MySQL",
          "IP": "172.16.88.***",
          "Port": "3306",
          "UserName": "dtstest",
          "DatabaseName": "dtstestdata"
        },
        "DestinationEndpoint": {
          "InstanceType": "RDS",
          "InstanceID": "rm-bp1zc3iyqe3qw****",
          "EngineName": "MySQL",
          "IP": "172.16.89.***",
          "Port": "3306",
          "UserName": "dtstest",
          "DatabaseName": "dtstestdata"
        },
        "MigrationObject": {
          "SynchronousObject": [
            {
              "DatabaseName": "dtstestdata",
              "WholeDatabase": "false",
              "TableList": {
                "Table": [
                  "customer",
                  "orders"
                ]
              }
            }
          ]
        },
        "Tags": {
          "Tag": [
            {
              "Key": "testkey1",
              "Value": "testvalue1"
            }
          ]
        }
      },
      {
        "MigrationJobID": "dtsz2v12jfo309****",
        "MigrationJobName": "ecs_mysql_to_rds",
        "MigrationJobStatus": "PrecheckFailed",
        "MigrationJobClass": "small",
        "PayType": "PostPaid",
        "InstanceCreateTime": "2021-07-02T03:10:41Z",
        "JobCreateTime": "2021-07-02T03:12:09Z",
        "MigrationMode": {
          "StructureInitialization": true,
          "DataInitialization": true,
          "DataSynchronization": false
        },
        "Precheck": {
          "Status": "Failed",
          "Percent": "100"
        },
        "StructureInitialization": {
          "status": "NotStarted",
          "Percent": "0",
          "Progress": "0"
        },
        "DataInitialization": {
          "status": "NotStarted",
          "Percent": "0",
          "Progress": "0"
        },
        "DataSynchronization": {
          "status": "NotStarted",
          "Percent": "0",
          "Delay": "0"
        },
        "SourceEndpoint": {
          "InstanceType": "ECS",
          "InstanceID": "i-bp1bq0iu5vhw6****",
          "EngineName": "MySQL",
          "IP": "172.16.20.***",
          "Port": "3306",
          "UserName": "dtstest",
          "DatabaseName": "shop"
        },
        "DestinationEndpoint": {
          "InstanceType": "RDS",
          "InstanceID": "rm-bp1imrtn6fq7h****",
          "EngineName": "MySQL",
          "IP": "172.16.88.***",
          "Port": "3306",
          "UserName": "dtstest",
          "DatabaseName": "shop"
        },
        "MigrationObject": {
          "SynchronousObject": [
            {
              "DatabaseName": "shop",
              "WholeDatabase": "true",
              "TableList": {
                "Table": []
              }
            }
          ]
        },
        "Tags": {
          "Tag": []
        }
      }
    ]
  }
}
`

// SetDocumentedDtsJobs defines the jobs of DocumentedDtsJobsSample in region, each listing its
// sample item verbatim, and returns their IDs in the sample's order: a DescribeDtsJobs request
// like the sample's then lists the sample's DtsJobList exactly.
func (s *Server) SetDocumentedDtsJobs(region string) []string {
	var sample struct {
		DtsJobList []json.RawMessage
	}
	mustUnmarshal(DocumentedDtsJobsSample, &sample)
	ids := make([]string, 0, len(sample.DtsJobList))
	for _, raw := range sample.DtsJobList {
		var item struct {
			DtsJobID string `json:"DtsJobId"`
			JobType  string
		}
		mustUnmarshal(string(raw), &item)
		s.SetDtsJob(item.DtsJobID, DtsJob{Region: region, JobType: item.JobType, Steps: []Step{{Raw: raw}}})
		ids = append(ids, item.DtsJobID)
	}
	return ids
}

// SetDocumentedMigrationJobs defines the jobs of DocumentedMigrationJobsSample in region, each
// listing its sample item verbatim, and returns their IDs in the sample's order. Their status
// answer (DescribeMigrationJobStatus) is State{JobStatus: the item's MigrationJobStatus}.Body.
func (s *Server) SetDocumentedMigrationJobs(region string) []string {
	var sample struct {
		MigrationJobs struct{ MigrationJob []json.RawMessage }
	}
	mustUnmarshal(DocumentedMigrationJobsSample, &sample)
	ids := make([]string, 0, len(sample.MigrationJobs.MigrationJob))
	for _, raw := range sample.MigrationJobs.MigrationJob {
		var item struct {
			ID     string `json:"MigrationJobID"`
			Status string `json:"MigrationJobStatus"`
		}
		mustUnmarshal(string(raw), &item)
		body := State{JobStatus: item.Status}.Body(item.ID)
		s.SetJob(item.ID, Job{Region: region, Steps: []Step{{Body: body, Item: raw}}})
		ids = append(ids, item.ID)
	}
	return ids
}

// mustUnmarshal decodes a sample compiled into the package; failing is a bug in this file.
func mustUnmarshal(sample string, v any) {
	if err := json.Unmarshal([]byte(sample), v); err != nil {
		panic("fakedts: a documented sample is not valid JSON: " + err.Error())
	}
}
