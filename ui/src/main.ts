// The Control UI's entry: the page's styles and the <oc-app> shell (index.html holds the element).
import '../styles/app.css';
import './app/oc-app.js';
