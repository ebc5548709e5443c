mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "111111111111", arn = "arn:aws:iam::111111111111:user/test" }
  }
  mock_data "aws_region" {
    defaults = { name = "us-east-1" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
}

variables {
  name                     = "test"
  vpc_id                   = "vpc-0123456789abcdef0"
  subnet_ids               = ["subnet-aaaa", "subnet-bbbb"]
  client_security_group_id = "sg-0aaaaaaaaaaaaaaaa"
  target_security_group_id = "sg-0bbbbbbbbbbbbbbbb"
}

run "the_load_balancer_is_internal" {
  command = plan

  assert {
    condition     = aws_lb.this.internal && aws_lb.this.load_balancer_type == "network"
    error_message = "the NLB in front of the app is internal"
  }
  assert {
    condition     = aws_lb_target_group.this.target_type == "ip" && aws_lb_target_group.this.port == 8000 && aws_lb_target_group.this.health_check[0].path == "/health/ready"
    error_message = "targets are pod IPs on 8000, checked on /health/ready"
  }
  assert {
    condition     = aws_vpc_security_group_ingress_rule.from_client.referenced_security_group_id == "sg-0aaaaaaaaaaaaaaaa"
    error_message = "only the VPC link's security group reaches the listener"
  }
}
