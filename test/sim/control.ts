/** The typed control object (`sim.control`); see docs/simulator.md. */
export { Control } from './control/index';
