import { MACHINE_ADDRESS } from './network/address-plan.js';

/**
 * The variables every scenario may use on the box ([all:vars] of the box's inventory). Scenarios
 * refer to exactly these names; all addresses are in 198.19.0.0/17, away from the hosts' LAN
 * (198.18.0.0/24) and the Docker pools (198.19.128.0/17).
 */
export const BOX_SCENARIO_VARS = {
  image: 'lab/busybox:latest',
  mac_net1_subnet: '198.19.1.0/24',
  mac_net1_gateway: '198.19.1.1',
  mac_net2_subnet: '198.19.2.0/24',
  mac_net2_gateway: '198.19.2.1',
  mac_net3_subnet: '198.19.3.0/24',
  mac_net3_gateway: '198.19.3.1',
  my_net2_subnet: '198.19.20.0/24',
  my_net2_gateway: '198.19.20.1',
  overlay_subnet: '198.19.30.0/24',
  // `docker swarm init --default-addr-pool`: without it the swarm takes 10.0.0.0/8 for ingress.
  swarm_address_pool: '198.19.64.0/18',
  lab_outside_address: MACHINE_ADDRESS,
} as const;

export const BOX_IMAGE = BOX_SCENARIO_VARS.image;
