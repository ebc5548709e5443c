# The internal Network Load Balancer in front of the app. Terraform owns it (not the AWS Load
# Balancer Controller) so that its listener ARN is known to the API Gateway VPC Link integration
# at plan time and `internal = true` is asserted on the code; the controller only binds the
# pods of the Service to the target group (TargetGroupBinding). See docs/adr/0019.

resource "aws_security_group" "this" {
  name_prefix = "${var.name}-nlb-"
  description = "Internal NLB of ${var.name}: reachable only from the API Gateway VPC link"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-nlb" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "from_client" {
  #checkov:skip=CKV_AWS_260:False positive: the source is the VPC link's security group (referenced_security_group_id), there is no CIDR at all, let alone 0.0.0.0/0.
  security_group_id            = aws_security_group.this.id
  description                  = "Listener port from the API Gateway VPC link"
  ip_protocol                  = "tcp"
  from_port                    = var.listener_port
  to_port                      = var.listener_port
  referenced_security_group_id = var.client_security_group_id
}

resource "aws_vpc_security_group_egress_rule" "to_targets" {
  security_group_id            = aws_security_group.this.id
  description                  = "Traffic and health checks to the pods"
  ip_protocol                  = "tcp"
  from_port                    = var.target_port
  to_port                      = var.target_port
  referenced_security_group_id = var.target_security_group_id
}

# The pods (VPC CNI: pod ENIs carry the cluster security group) accept the NLB on the app port.
resource "aws_vpc_security_group_ingress_rule" "targets_from_nlb" {
  security_group_id            = var.target_security_group_id
  description                  = "App port from the internal NLB of ${var.name}"
  ip_protocol                  = "tcp"
  from_port                    = var.target_port
  to_port                      = var.target_port
  referenced_security_group_id = aws_security_group.this.id
}

resource "aws_lb" "this" {
  #checkov:skip=CKV2_AWS_20:This is a Network Load Balancer with a TCP listener (no HTTP to redirect); HTTPS is enforced at the API Gateway, its only client.
  #checkov:skip=CKV_AWS_91:No S3 access logs on this NLB: it only ever receives traffic from the API Gateway, whose JSON access log (KMS-encrypted) records every request with its id, and the VPC flow logs record every connection.
  name                             = substr("${var.name}-app", 0, 32)
  internal                         = true
  load_balancer_type               = "network"
  subnets                          = var.subnet_ids
  security_groups                  = [aws_security_group.this.id]
  enable_cross_zone_load_balancing = true
  enable_deletion_protection       = var.deletion_protection
  tags                             = var.tags
}

resource "aws_lb_target_group" "this" {
  name                 = substr("${var.name}-app", 0, 32)
  port                 = var.target_port
  protocol             = "TCP"
  target_type          = "ip"
  vpc_id               = var.vpc_id
  deregistration_delay = var.deregistration_delay_seconds

  health_check {
    protocol            = "HTTP"
    port                = "traffic-port"
    path                = "/health/ready"
    matcher             = "200"
    interval            = 10
    healthy_threshold   = 2
    unhealthy_threshold = 2
  }

  tags = var.tags
}

resource "aws_lb_listener" "this" {
  #checkov:skip=CKV_AWS_2:TCP listener on an internal NLB: TLS terminates at the API Gateway, and this hop stays inside the VPC between the VPC link ENIs and the pods (both in private subnets, security groups restricted to each other).
  load_balancer_arn = aws_lb.this.arn
  port              = var.listener_port
  protocol          = "TCP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this.arn
  }

  tags = var.tags
}
